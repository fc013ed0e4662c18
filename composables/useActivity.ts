/** Audit rows reach the database through a queue (about a second): how long a refresh keeps looking for new ones. */
const POLL_INTERVAL_MS = 1000
const POLL_ATTEMPTS = 8

/** Bumped after anything that adds to the activity (an upload, a delete): a mounted activity list then reloads itself. */
const useActivityVersion = () => useState('activity-version', () => 0)

/** The function that tells the activity list something happened; take it during setup, call it any time after. */
export function useNotifyActivity() {
  const version = useActivityVersion()
  return () => void version.value++
}

export function useActivity() {
  const { data, status, error, refresh } = useFetch('/api/user/activity', { server: false, key: 'user-activity' })

  /** Reloads until the list differs from what it was, or the queue has had ample time to deliver. */
  async function refreshUntilChanged() {
    const before = JSON.stringify(data.value?.items ?? [])
    for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
      await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL_MS))
      await refresh()
      if (JSON.stringify(data.value?.items ?? []) !== before) return
    }
  }

  watch(useActivityVersion(), () => void refreshUntilChanged())
  return { data, status, error, refresh }
}
