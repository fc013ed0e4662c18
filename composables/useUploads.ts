export interface QueuedUpload {
  localId: number
  file: File
  /** Set once the bytes are in storage: a retry then only repeats the verification. */
  uploadedId: string | null
  /** The signed single PUT: a retry sends through it again while it is valid; a cancel releases its reservation. */
  signed: { upload: SignedGenericUpload, validUntil: number } | null
  status: 'waiting' | 'signing' | 'uploading' | 'verifying' | 'done' | 'failed' | 'cancelled'
  progress: number
  error: string | null
  /** False when trying again cannot help (empty file, refused type, too large, over quota): no Retry then. */
  retryable: boolean
  /** Large files only: pause/resume and the offer to resume an earlier upload. */
  multipart?: MultipartControl
}

/** Answers of our API that repeat themselves however often the same file is sent again. */
const FINAL_API_STATUSES = new Set([400, 409, 413, 415, 422])

const MAX_PARALLEL_UPLOADS = 3

/** Generic uploads: a queue of direct PUTs (same directUpload as the profile image) and the owner's list. */
export function useUploads() {
  const limits = uploadPolicy
  const items = ref<UploadView[]>([])
  const nextOffset = ref<number | null>(null)
  const listLoading = ref(false)
  const listError = ref<string | null>(null)
  const usage = ref<StorageUsage | null>(null)
  const queue = ref<QueuedUpload[]>([])
  const inFlight = new Map<number, DirectUpload>()
  const cancelRequested = new Set<number>()
  let localIds = 0

  /** The usage bar is a convenience: a failure to read it never hides the list. */
  async function refreshUsage() {
    usage.value = await $fetch('/api/uploads/usage').catch(() => usage.value)
  }

  async function refresh() {
    void refreshUsage()
    listLoading.value = true
    listError.value = null
    try {
      const page = await $fetch('/api/uploads')
      items.value = page.items
      nextOffset.value = page.nextOffset
    }
    catch (error) {
      listError.value = apiErrorMessage(error, 'Could not load your uploads.')
    }
    finally {
      listLoading.value = false
    }
  }

  async function loadMore() {
    if (nextOffset.value === null || listLoading.value) return
    listLoading.value = true
    try {
      const page = await $fetch('/api/uploads', { query: { offset: nextOffset.value } })
      items.value.push(...page.items.filter(item => !items.value.some(known => known.id === item.id)))
      nextOffset.value = page.nextOffset
    }
    finally {
      listLoading.value = false
    }
  }

  function problemWith(file: File): string | null {
    if (file.size === 0) return 'The file is empty.'
    const maxBytes = isLargeFile(file) ? multipartPolicy.maxBytes : limits.maxBytes
    if (file.size > maxBytes) return `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`
    if (!(limits.contentTypes as readonly string[]).includes(contentTypeOf(file))) return refusedTypeMessage(file)
    return null
  }

  /** Never the MIME type itself: people know "Windows program", not "application/x-msdownload". */
  function refusedTypeMessage(file: File) {
    const name = fileTypeName(file.type)
    const extension = /\.([a-z0-9]{1,10})$/i.exec(file.name)?.[1]
    const what = name ? `${name.charAt(0).toUpperCase()}${name.slice(1)} files` : extension ? `.${extension.toLowerCase()} files` : 'Files of this type'
    return `${what} cannot be uploaded here. Allowed: ${fileTypeList(Object.keys(FILE_TYPES))}.`
  }

  /** Whether the same attempt can succeed later: network trouble, busy server, expired link — not a refusal. */
  function retryable(error: unknown, committing: boolean) {
    if (error instanceof UploadError) return error.status !== 413 && error.code !== 'EntityTooLarge'
    const status = (error as { statusCode?: number })?.statusCode
    if (status === undefined) return true
    // Before signing, 409 is "too many uploads in progress", which passes; at completion it is a mismatch, which does not.
    if (status === 409 && !committing) return true
    return !FINAL_API_STATUSES.has(status)
  }

  function contentTypeOf(file: File) {
    return file.type || limits.unknownContentType
  }

  async function run(item: QueuedUpload) {
    const problem = problemWith(item.file)
    if (problem) return Object.assign(item, { status: 'failed', error: problem, retryable: false })
    cancelRequested.delete(item.localId)
    item.error = null
    try {
      if (!item.uploadedId) await send(item)
      item.status = 'verifying'
      const committed = await $fetch(`/api/uploads/${item.uploadedId}/complete`, { method: 'POST' })
      item.status = 'done'
      notifyActivityChanged()
      void refreshUsage()
      if (!items.value.some(known => known.id === committed.id)) {
        items.value = [committed, ...items.value]
        if (nextOffset.value !== null) nextOffset.value++
      }
    }
    catch (error) {
      inFlight.delete(item.localId)
      // The upload link expired before completion: a retry sends the file again under a new one.
      if ((error as { statusCode?: number })?.statusCode === 410) Object.assign(item, { uploadedId: null, signed: null })
      if (error instanceof UploadAbortedError) {
        Object.assign(item, { status: 'cancelled', error: null, retryable: true })
        await releaseReservation(item)
      }
      else Object.assign(item, { status: 'failed', error: apiErrorMessage(error), retryable: retryable(error, item.status === 'verifying') })
    }
  }

  /** Signs (or reuses a still-valid URL from an earlier attempt) and PUTs the bytes straight to storage. */
  async function send(item: QueuedUpload) {
    if (isLargeFile(item.file)) return sendInParts(item)
    Object.assign(item, { status: 'signing', progress: 0 })
    if (!item.signed || item.signed.validUntil <= Date.now()) {
      const upload = await $fetch('/api/uploads/pre-signed-url', {
        method: 'POST',
        body: { filename: item.file.name, contentType: contentTypeOf(item.file), fileSize: item.file.size },
      })
      // A minute short of the real expiry, so a retry never starts on a URL about to lapse.
      item.signed = { upload, validUntil: Date.now() + (upload.expiresIn - 60) * 1000 }
      void refreshUsage()
    }
    if (cancelRequested.has(item.localId)) throw new UploadAbortedError()
    item.status = 'uploading'
    const upload = directUpload(item.signed.upload, item.file, fraction => (item.progress = fraction))
    inFlight.set(item.localId, upload)
    await upload.done
    inFlight.delete(item.localId)
    item.uploadedId = item.signed.upload.uploadId
  }

  /**
   * Gives back the space a signed but unsent upload holds (it counts against the quota until its URL expires): the
   * delete also leaves a tombstone, so a PUT still on its way cannot store anything.
   */
  async function releaseReservation(item: QueuedUpload) {
    const signed = item.signed
    if (!signed || item.uploadedId) return
    item.signed = null
    await $fetch(`/api/uploads/${signed.upload.uploadId}`, { method: 'DELETE' }).catch(() => {})
    await refreshUsage()
  }

  /** Large files: in parts, completed by the multipart API (the /complete that follows then finds it committed). */
  async function sendInParts(item: QueuedUpload) {
    Object.assign(item, { status: 'signing', progress: 0 })
    item.multipart = { paused: false, offer: null, partsSent: 0, pause: () => {}, resume: () => {}, decide: () => {} }
    const upload = multipartUpload(item.file, contentTypeOf(item.file), item.multipart, fraction => Object.assign(item, { status: 'uploading', progress: fraction }))
    inFlight.set(item.localId, upload)
    item.uploadedId = (await upload.done).uploadId
    inFlight.delete(item.localId)
  }

  /** Runs the waiting entries, at most a few at a time, however often files are added. */
  let draining: Promise<void> | null = null
  function drain(): Promise<void> {
    draining ??= Promise.all(Array.from({ length: MAX_PARALLEL_UPLOADS }, async () => {
      let next: QueuedUpload | undefined
      while ((next = queue.value.find(entry => entry.status === 'waiting'))) {
        next.status = 'signing'
        await run(next)
      }
    })).then(() => { draining = null })
    return draining
  }

  function add(files: Iterable<File>) {
    for (const file of files) queue.value.push({ localId: ++localIds, file, uploadedId: null, signed: null, status: 'waiting', progress: 0, error: null, retryable: true })
    return drain()
  }

  function retry(localId: number) {
    const entry = queue.value.find(candidate => candidate.localId === localId)
    if (!entry || !entry.retryable || (entry.status !== 'failed' && entry.status !== 'cancelled')) return
    entry.status = 'waiting'
    return drain()
  }

  function cancel(localId: number) {
    const entry = queue.value.find(candidate => candidate.localId === localId)
    if (entry?.status === 'waiting') entry.status = 'cancelled'
    cancelRequested.add(localId)
    inFlight.get(localId)?.abort()
  }

  function dismiss(localId: number) {
    const entry = queue.value.find(candidate => candidate.localId === localId)
    queue.value = queue.value.filter(candidate => candidate.localId !== localId)
    // A failed upload dismissed for good: nothing will complete it, so its reservation goes too.
    if (entry?.status === 'failed') void releaseReservation(entry)
  }

  function clearFinished() {
    queue.value = queue.value.filter(entry => entry.status !== 'done')
  }

  /** Anything still to be sent or verified: leaving the page now would lose it. */
  const busy = computed(() => queue.value.some(entry => ['waiting', 'signing', 'uploading', 'verifying'].includes(entry.status)))

  async function download(id: string) {
    const { downloadUrl, filename } = await $fetch<{ downloadUrl: string, filename: string }>(`/api/uploads/${id}/download-url`)
    // R2 answers with Content-Disposition: attachment. `download` also covers the local endpoint, which is
    // same-origin and ignores response-* overrides: an uploaded HTML file must never render as a page.
    const link = Object.assign(document.createElement('a'), { href: downloadUrl, download: filename, rel: 'noopener' })
    document.body.append(link)
    link.click()
    link.remove()
  }

  /** Takes an item out of the list (a delete waiting for its undo window); the returned function puts it back. */
  function hide(item: UploadView) {
    items.value = items.value.filter(known => known.id !== item.id)
    if (nextOffset.value !== null) nextOffset.value--
    return () => {
      if (items.value.some(known => known.id === item.id)) return
      items.value = [...items.value, item].sort(newestFirst)
      if (nextOffset.value !== null) nextOffset.value++
    }
  }

  async function remove(id: string) {
    // A 404 means it is already gone (a second click, another tab): the outcome the person wanted.
    await $fetch(`/api/uploads/${id}`, { method: 'DELETE' }).catch((error: { statusCode?: number }) => {
      if (error?.statusCode !== 404) throw error
    })
    notifyActivityChanged()
    void refreshUsage()
    if (!items.value.some(item => item.id === id)) return
    items.value = items.value.filter(item => item.id !== id)
    if (nextOffset.value !== null) nextOffset.value--
  }

  return { items, usage, nextOffset, listLoading, listError, queue, busy, limits, refresh, loadMore, add, retry, cancel, dismiss, clearFinished, download, hide, remove }
}

/** The list's order, as the server sorts it. */
function newestFirst(a: UploadView, b: UploadView) {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)
}
