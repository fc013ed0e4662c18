/** `thumbnail`: the small preview stored beside the image, else the original; `full`: always the original. */
interface SignedGet { thumbnail: string, full: string, expiresAt: number }

/** Re-sign a little before expiry, so an image that starts loading late still has a valid URL. */
const EXPIRY_MARGIN_MS = 60_000

/**
 * GET URLs for the image uploads in `items`, signed in batches (one request per page of new items, never one per
 * image). The grid's <img> elements load the previews lazily (an upload without one, the original); the full-size
 * preview dialog loads the original only when opened. A failed batch leaves those items with their type icon.
 */
export function useThumbnails(items: Ref<UploadView[]>) {
  const urls = ref(new Map<string, SignedGet>())
  const requested = new Set<string>()

  async function sign(ids: string[]) {
    for (const id of ids) requested.add(id)
    try {
      const signedAt = Date.now()
      const { items: signed, expiresIn } = await $fetch('/api/uploads/download-urls', { method: 'POST', body: { ids } })
      for (const { id, downloadUrl, thumbnailUrl } of signed) {
        urls.value.set(id, { thumbnail: thumbnailUrl ?? downloadUrl, full: downloadUrl, expiresAt: signedAt + expiresIn * 1000 })
      }
    }
    catch {
      // Thumbnails are a convenience: the list stays usable with icons.
    }
    finally {
      for (const id of ids) requested.delete(id)
    }
  }

  function fresh(id: string) {
    const signed = urls.value.get(id)
    return signed !== undefined && signed.expiresAt - EXPIRY_MARGIN_MS > Date.now()
  }

  function update() {
    const missing = items.value
      .filter(item => hasThumbnail(item.contentType) && !fresh(item.id) && !requested.has(item.id))
      .map(item => item.id)
    for (let start = 0; start < missing.length; start += uploadPolicy.maxDownloadUrlBatch) {
      void sign(missing.slice(start, start + uploadPolicy.maxDownloadUrlBatch))
    }
  }

  // Client only: signing on the server would put URLs in the HTML and cost a round trip the page does not need.
  // The interval re-signs what is about to expire on a page left open (the preview loads the URL again).
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    watch(() => items.value.map(item => item.id), update, { immediate: true })
    timer = setInterval(update, EXPIRY_MARGIN_MS)
  })
  onBeforeUnmount(() => clearInterval(timer))

  return {
    thumbnailUrl: (id: string) => urls.value.get(id)?.thumbnail ?? null,
    fullImageUrl: (id: string) => urls.value.get(id)?.full ?? null,
  }
}
