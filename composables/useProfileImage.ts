interface ProfileImageState {
  status: 'unknown' | 'none' | 'ready'
  /** An object URL of the downloaded bytes: always the current object, whatever the browser cache holds. */
  displayUrl: string | null
  downloadUrl: string | null
  filename: string | null
  expiresAt: number
}

/** Signed download URLs are reused until this close to their expiry. */
const DOWNLOAD_URL_REFRESH_MARGIN_MS = 5 * 60_000

export function useProfileImage() {
  const { user } = useAuth()
  const notifyActivityChanged = useNotifyActivity()
  const state = useState<ProfileImageState>(`profile-image:${user.value?.id ?? 'guest'}`, () => ({
    status: 'unknown', displayUrl: null, downloadUrl: null, filename: null, expiresAt: 0,
  }))
  const limits = profileImagePolicy
  const loading = ref(false)

  function show(next: Omit<ProfileImageState, 'status'> & { status: 'none' | 'ready' }) {
    if (state.value.displayUrl && state.value.displayUrl !== next.displayUrl) URL.revokeObjectURL(state.value.displayUrl)
    state.value = next
  }

  async function load({ force = false } = {}) {
    const fresh = state.value.status !== 'unknown' && (state.value.status === 'none' || state.value.expiresAt - DOWNLOAD_URL_REFRESH_MARGIN_MS > Date.now())
    if (fresh && !force) return
    loading.value = true
    try {
      show(await readProfileImage())
    }
    finally {
      loading.value = false
    }
  }

  const { uploading, progress, upload, cancel } = profileImageSender(async () => {
    notifyActivityChanged()
    await load({ force: true })
  })

  /** By default the removed image is kept among the earlier ones; `allVersions` deletes those too. */
  async function remove({ allVersions = false } = {}) {
    await $fetch('/api/user/profile/image', { method: 'DELETE', query: allVersions ? { versions: 'all' } : undefined })
    notifyActivityChanged()
    show({ status: 'none', displayUrl: null, downloadUrl: null, filename: null, expiresAt: 0 })
  }

  return { state: readonly(state), loading, uploading, progress, limits, load, upload, cancel, remove }
}

/** Sends one prepared image at a time, with progress and cancel; `sent` runs once storage has answered. */
function profileImageSender(sent: () => Promise<void>) {
  const uploading = ref(false)
  const progress = ref(0)
  let inFlight: DirectUpload | null = null
  let cancelRequested = false

  /** `file` is the prepared (cropped, shrunk) image: the upload limit applies to it, not to the original. */
  async function upload(file: File) {
    const problem = profileImageProblem(file)
    if (problem) throw new Error(problem)
    uploading.value = true
    progress.value = 0
    cancelRequested = false
    try {
      const refusal = await sendProfileImage(file, {
        cancelled: () => cancelRequested,
        started: (sending) => { inFlight = sending },
        onProgress: fraction => (progress.value = fraction),
      })
      await sent()
      if (refusal) throw refusal
    }
    finally {
      inFlight = null
      uploading.value = false
    }
  }

  function cancel() {
    cancelRequested = true
    inFlight?.abort()
  }

  return { uploading, progress, upload, cancel }
}

/** The current profile image, downloaded: the key is stable, so the URL path never changes and is revalidated (ETag). */
async function readProfileImage(): Promise<Omit<ProfileImageState, 'status'> & { status: 'none' | 'ready' }> {
  const info: ProfileImageInfo = await $fetch('/api/user/profile/image')
  if (!info.hasImage) return { status: 'none', displayUrl: null, downloadUrl: null, filename: null, expiresAt: 0 }
  const response = await fetch(info.downloadUrl, { cache: 'no-cache' })
  if (!response.ok) throw describeStorageError(response.status, await response.text())
  return {
    status: 'ready',
    displayUrl: URL.createObjectURL(await response.blob()),
    downloadUrl: info.downloadUrl,
    filename: info.filename,
    expiresAt: Date.now() + info.expiresIn * 1000,
  }
}

/**
 * Signs, sends and confirms a new profile image. The server checks the stored bytes are the signed image type:
 * resolves with its refusal (a 422, previous state back), to show after reloading, or null.
 */
async function sendProfileImage(file: File, transfer: { cancelled: () => boolean, started: (upload: DirectUpload) => void, onProgress: (fraction: number) => void }) {
  const signed = await $fetch('/api/user/profile/image', {
    method: 'POST',
    body: { contentType: file.type, fileSize: file.size, originalFilename: file.name },
  })
  // Cancel pressed while the URL was being signed: stop before any byte is sent.
  if (transfer.cancelled()) throw new UploadAbortedError()
  const upload = directUpload(signed, file, transfer.onProgress)
  transfer.started(upload)
  await upload.done
  return await $fetch('/api/user/profile/image/confirm', { method: 'POST' }).then(() => null, (error: unknown) => error)
}
