// Bumped after anything that adds to the activity (an upload, a delete): the activity list then reloads itself.
// Browser-only state (nothing bumps it during SSR), so a module-level ref is enough and needs no Nuxt context.
const changed = ref(0)

export function notifyActivityChanged() {
  changed.value++
}

/** Audit rows reach the database through a queue (about a second): how long a refresh keeps looking for new ones. */
const POLL_INTERVAL_MS = 1000
const POLL_ATTEMPTS = 8

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

  watch(changed, () => void refreshUntilChanged())
  return { data, status, error, refresh }
}
