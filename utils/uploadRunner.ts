// One queued file's way to a committed upload: checked, signed (or its still-valid URL reused), sent straight to
// storage, then verified by the server. Large files go in parts, whose completion already verifies and commits.
import type { SignedGenericUpload } from '#shared/utils/upload-contract'
import { apiErrorMessage } from './apiError'
import type { UploadView } from './apiTypes'
import { type DirectUpload, UploadAbortedError, directUpload } from './directUpload'
import { makePreview, previewRequest, putPreview } from './imagePreview'
import { isLargeFile, startMultipartUpload, type MultipartControl } from './multipartUpload'
import { isRetryableUploadError, uploadContentType, uploadProblem } from './uploadChecks'

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
  /** The WebP preview sent beside an image (null: none); made once, before the first signing. */
  preview?: Blob | null
  /** Large files only: pause/resume and the offer to resume an earlier upload. */
  multipart?: MultipartControl
}

/** What running an upload needs from the queue around it. */
export interface UploadRunContext {
  /** Uploads sending bytes, by queue id: Cancel aborts them. */
  inFlight: Map<number, DirectUpload>
  /** Queue ids cancelled while no upload was in flight yet (signing). */
  cancelRequested: Set<number>
  fetch: typeof $fetch
  refreshUsage: () => unknown
  committed: (upload: UploadView) => void
}

/** A new queue entry: a file the checks refuse fails at once, without waiting for its turn. */
export function queueEntry(localId: number, file: File): QueuedUpload {
  const problem = uploadProblem(file)
  return { localId, file, uploadedId: null, signed: null, status: problem ? 'failed' : 'waiting', progress: 0, error: problem, retryable: !problem }
}

/** Runs one queue entry to done, failed or cancelled; never throws. */
export async function runUpload(item: QueuedUpload, context: UploadRunContext) {
  const problem = uploadProblem(item.file)
  if (problem) return Object.assign(item, { status: 'failed', error: problem, retryable: false })
  context.cancelRequested.delete(item.localId)
  item.error = null
  try {
    const committed = isLargeFile(item.file) ? await sendInParts(item, context) : await sendAndVerify(item, context)
    item.status = 'done'
    context.committed(committed)
  }
  catch (error) {
    context.inFlight.delete(item.localId)
    // The upload link expired before completion: a retry sends the file again under a new one.
    if ((error as { statusCode?: number } | null)?.statusCode === 410) Object.assign(item, { uploadedId: null, signed: null })
    if (error instanceof UploadAbortedError) {
      Object.assign(item, { status: 'cancelled', error: null, retryable: true })
      // In parts, the upload was aborted (its space freed) before this error: only the figures need refreshing.
      if (item.multipart) await context.refreshUsage()
      else await releaseReservation(item, context)
    }
    else {
      // A single PUT's verification refuses for good (409 is then a mismatch); a multipart completion's 409 (parts
      // missing) is resumed by a retry.
      const committing = item.status === 'verifying' && !item.multipart
      Object.assign(item, { status: 'failed', error: apiErrorMessage(error), retryable: isRetryableUploadError(error, committing) })
    }
  }
}

async function sendAndVerify(item: QueuedUpload, context: UploadRunContext) {
  if (!item.uploadedId) await send(item, context)
  item.status = 'verifying'
  return await context.fetch(`/api/uploads/${item.uploadedId}/complete`, { method: 'POST' })
}

/** Signs (or reuses a still-valid URL from an earlier attempt) and PUTs the bytes straight to storage. */
async function send(item: QueuedUpload, context: UploadRunContext) {
  Object.assign(item, { status: 'signing', progress: 0 })
  if (!item.signed || item.signed.validUntil <= Date.now()) {
    if (item.preview === undefined) item.preview = await makePreview(item.file, uploadContentType(item.file))
    const upload = await context.fetch('/api/uploads/pre-signed-url', {
      method: 'POST',
      body: { filename: item.file.name, contentType: uploadContentType(item.file), fileSize: item.file.size, preview: previewRequest(item.preview) },
    })
    // A minute short of the real expiry, so a retry never starts on a URL about to lapse.
    item.signed = { upload, validUntil: Date.now() + (upload.expiresIn - 60) * 1000 }
    void context.refreshUsage()
  }
  if (context.cancelRequested.has(item.localId)) throw new UploadAbortedError()
  item.status = 'uploading'
  const upload = directUpload(item.signed.upload, item.file, fraction => (item.progress = fraction))
  // Beside the file, and settled before /complete, which records the preview only if it is stored by then.
  const previewSent = putPreview(item.signed.upload.preview, item.preview)
  context.inFlight.set(item.localId, upload)
  await upload.done
  await previewSent
  context.inFlight.delete(item.localId)
  item.uploadedId = item.signed.upload.uploadId
}

/** Large files: in parts; the multipart completion answers with the committed upload. */
async function sendInParts(item: QueuedUpload, context: UploadRunContext) {
  Object.assign(item, { status: 'signing', progress: 0 })
  item.multipart = { paused: false, pausing: false, uploadId: null, offer: null, partsSent: 0, pause: () => {}, resume: () => {}, decide: () => {} }
  if (item.preview === undefined) item.preview = await makePreview(item.file, uploadContentType(item.file))
  const upload = startMultipartUpload({
    file: item.file,
    contentType: uploadContentType(item.file),
    preview: item.preview,
    control: item.multipart, // read back from the reactive entry, so the queue sees its changes
    onProgress: fraction => Object.assign(item, { status: 'uploading', progress: fraction }),
    onReserved: () => void context.refreshUsage(),
    onCompleting: () => (item.status = 'verifying'),
  })
  context.inFlight.set(item.localId, upload)
  const { uploadId, upload: committed } = await upload.done
  item.uploadedId = uploadId
  context.inFlight.delete(item.localId)
  return committed
}

/**
 * Gives back the space a signed but unsent upload holds (it counts against the quota until its URL expires): the
 * delete also leaves a tombstone, so a PUT still on its way cannot store anything.
 */
export async function releaseReservation(item: QueuedUpload, context: Pick<UploadRunContext, 'fetch' | 'refreshUsage'>) {
  const signed = item.signed
  if (!signed || item.uploadedId) return
  item.signed = null
  await context.fetch(`/api/uploads/${signed.upload.uploadId}`, { method: 'DELETE' }).catch(() => {})
  await context.refreshUsage()
}
