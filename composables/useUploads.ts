// The owner's uploads, newest first, shared by every component through the 'uploads' key. The server's list is the
// truth: "Load more" and refreshNuxtData('uploads') fetch the first `shown` rows again, so adding or deleting a file
// never shifts a page. Uploads committed or deleted here update the fetched rows at once, without waiting for that.

/** The first `count` of the owner's uploads, in as few requests as the server's page cap allows. */
async function fetchFirstUploads(count: number): Promise<UploadPage> {
  const items: UploadView[] = []
  let nextOffset: number | null = 0
  while (nextOffset !== null && items.length < count) {
    const page: UploadPage = await $fetch('/api/uploads', { query: { offset: nextOffset, limit: Math.min(uploadPolicy.maxListPageSize, count - items.length) } })
    items.push(...page.items.filter(item => !items.some(known => known.id === item.id)))
    nextOffset = page.nextOffset
  }
  return { items, nextOffset }
}

export function useUploads() {
  const notifyActivityChanged = useNotifyActivity()
  const { refresh: refreshUsage } = useStorageUsage()
  const shown = useState<number>('uploads-shown', () => uploadPolicy.listPageSize)
  /** Deletes waiting for their undo window: still on the server, not in this page's list (leaving the page keeps them). */
  const hidden = ref<string[]>([])
  const loadingMore = ref(false)
  // Fetched once mounted, as the server rendered no list: loading earlier would make hydration differ.
  const list = useAsyncData('uploads', () => fetchFirstUploads(shown.value), { server: false, immediate: false })
  onMounted(() => void list.execute())
  const items = computed(() => (list.data.value?.items ?? []).filter(item => !hidden.value.includes(item.id)))
  const hasMore = computed(() => list.data.value?.nextOffset != null)
  const listLoading = computed(() => list.status.value === 'pending' || loadingMore.value)
  const listError = computed(() => list.error.value ? apiErrorMessage(list.error.value, 'Could not load your uploads.') : null)

  /** The next page, fetched with the ones shown (a failure leaves the list as it is and throws, for a toast). */
  async function loadMore() {
    if (!hasMore.value || listLoading.value) return
    loadingMore.value = true
    try {
      const count = (list.data.value?.items.length ?? 0) + uploadPolicy.listPageSize
      list.data.value = await fetchFirstUploads(count)
      shown.value = count
    }
    finally {
      loadingMore.value = false
    }
  }

  /** Puts a committed upload at the top without fetching the list again. */
  function added(upload: UploadView) {
    const page = list.data.value
    if (page && !page.items.some(known => known.id === upload.id)) list.data.value = { ...page, items: [upload, ...page.items] }
  }

  /** Takes an item out of the list (a delete waiting for its undo window); the returned function puts it back. */
  function hide(item: UploadView) {
    hidden.value = [...hidden.value, item.id]
    return () => {
      hidden.value = hidden.value.filter(id => id !== item.id)
    }
  }

  async function remove(id: string) {
    // A 404 means it is already gone (a second click, another tab): the outcome the person wanted.
    await $fetch(`/api/uploads/${id}`, { method: 'DELETE' }).catch((error: { statusCode?: number }) => {
      if (error?.statusCode !== 404) throw error
    })
    notifyActivityChanged()
    void refreshUsage()
    const page = list.data.value
    if (page) list.data.value = { ...page, items: page.items.filter(item => item.id !== id) }
    hidden.value = hidden.value.filter(known => known !== id)
  }

  return { items, hasMore, listLoading, listError, refresh: () => Promise.all([list.refresh(), refreshUsage()]), loadMore, added, hide, remove, download: downloadUpload }
}
