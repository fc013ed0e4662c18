/**
 * The owner's unfinished uploads in parts, as the server holds them: after a reload (or in another tab) they still take
 * space, so the page names them and offers Discard. `claimed`: ids this page's queue is sending, listed there instead.
 */
export function useInterruptedUploads(claimed: Ref<string[]>) {
  const { refresh: refreshUsage } = useStorageUsage()
  const notifyActivityChanged = useNotifyActivity()
  // Fetched once mounted, as the server rendered no list (as useUploads does).
  const list = useAsyncData('uploads-interrupted', () => $fetch('/api/uploads/multipart'), { server: false, immediate: false })
  onMounted(() => void list.execute())
  const discarding = ref<string[]>([])
  const items = computed(() => (list.data.value?.items ?? []).filter(item => !claimed.value.includes(item.id)))

  /** Takes an upload off the list without asking the server (it was just completed here). */
  function forget(id: string) {
    const page = list.data.value
    if (page?.items.some(item => item.id === id)) list.data.value = { ...page, items: page.items.filter(item => item.id !== id) }
  }

  /** Aborts the upload (its stored parts and its reservation) and forgets what this browser kept to resume it. */
  async function discard(id: string) {
    discarding.value = [...discarding.value, id]
    try {
      // 404/410: already gone or expired, nothing left to resume either way.
      await $fetch(`/api/uploads/multipart/${id}`, { method: 'DELETE' }).catch((error: { statusCode?: number }) => {
        if (error?.statusCode !== 404 && error?.statusCode !== 410) throw error
      })
      createResumeStore().forgetUpload(id)
      forget(id)
      notifyActivityChanged()
      await refreshUsage()
    }
    finally {
      discarding.value = discarding.value.filter(known => known !== id)
    }
  }

  return { items, discarding, discard, forget, refresh: () => list.refresh() }
}
