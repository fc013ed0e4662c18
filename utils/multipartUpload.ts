// Large files go to storage in parts, several at once, each straight to a pre-signed UploadPart URL. Every finished part's
// ETag is kept in localStorage at once and reported to the server a few parts at a time, so a reload or a lost
// connection loses at most the parts in flight: choosing the same file again (same name, size and last-modified time,
// remembered in localStorage) offers to resume, reports what the server has not heard of yet, and sends only the rest.
// Uppy's @uppy/aws-s3 6.x was the first choice but sends one file's parts one after another and resumes through S3
// ListParts, which the local endpoint does not implement; see docs/architecture.md, "Upload in parts".
import { multipartPartCount, multipartPartLength, multipartPolicy } from '#shared/utils/policy'
import { UploadAbortedError, putPart } from './directUpload'
import { previewRequest, putPreview } from './imagePreview'
import { createMultipartApi, type MultipartApi } from './multipartApi'
import { createPartProgress, createPartRecorder, createPartSigner } from './multipartParts'
import { createResumeStore, type ResumeStore } from './multipartResumeStore'
import { createPartPool } from './partPool'

/** Finished parts are reported this many at a time (see createPartRecorder). */
export const RECORD_BATCH = 8

/** What the queue shows and drives for one large file (kept on its queue entry, so it is reactive). */
export interface MultipartControl {
  paused: boolean
  /** Paused, while the parts already on their way finish (they are never stopped: no sent byte is lost). */
  pausing: boolean
  /** The server's upload once chosen (new or resumed): the page then lists it here, not among interrupted ones. */
  uploadId: string | null
  /** Set while asking whether to resume an earlier, unfinished upload of the same file. */
  offer: { percent: number } | null
  /** Parts this page has sent to storage (retries and resumed uploads only send what is missing). */
  partsSent: number
  pause: () => void
  resume: () => void
  decide: (resume: boolean) => void
}

export const isLargeFile = (file: Pick<File, 'size'>) => file.size >= multipartPolicy.thresholdBytes

export interface MultipartUploadOptions {
  file: File
  contentType: string
  /** The image's WebP preview, sent beside a new upload (not on resuming one, which had its chance). */
  preview?: Blob | null
  /** Must be the reactive object the queue renders: its methods are filled in here. */
  control: MultipartControl
  onProgress: (fraction: number) => void
  /** The server holds the upload (new or resumed), so its space is reserved: the usage shown should say so. */
  onReserved?: () => void
  /** Every part is in storage and reported; storage now assembles them. */
  onCompleting?: () => void
  api?: MultipartApi
  store?: ResumeStore
  put?: typeof putPart
  /** Waits between attempts of a failed part. */
  wait?: (ms: number) => Promise<void>
}

/** The upload to send into: an earlier one of the same file (if the person resumes it) or a new one. */
interface Chosen { id: string, partSize: number, finished: Map<number, string>, recorded: Set<number>, previewSent?: Promise<boolean> }

/** Uploads `file` in parts and completes it; resolves with the committed upload as the list shows it. */
export function startMultipartUpload(options: MultipartUploadOptions) {
  const { file, control } = options
  const api = options.api ?? createMultipartApi()
  const store = options.store ?? createResumeStore()
  let cancelled = false
  let uploadId: string | null = null
  let decide: ((resume: boolean) => void) | null = null
  let stopDeciding: (() => void) | null = null
  let sending: ReturnType<typeof sendParts> | null = null

  control.decide = resume => decide?.(resume)
  control.pause = () => {
    control.paused = true
    if (!sending) return
    control.pausing = true
    void sending.pause().then(() => {
      if (control.paused) control.pausing = false
    })
  }
  control.resume = () => {
    Object.assign(control, { paused: false, pausing: false })
    sending?.resume()
  }

  async function run() {
    const chosen = await chooseUpload(options, api, store, () => new Promise<boolean>((resolve, reject) => {
      decide = resolve
      stopDeciding = () => reject(new UploadAbortedError())
    }))
    uploadId = chosen.id
    control.uploadId = chosen.id
    options.onReserved?.()
    if (cancelled) throw new UploadAbortedError()
    sending = sendParts(options, api, store, chosen, () => cancelled)
    await sending.done
    // The completion records the preview only if it is stored by then.
    await chosen.previewSent
    options.onCompleting?.()
    const upload = await api.complete(chosen.id)
    store.forget(file, chosen.id)
    return { etag: null, uploadId: chosen.id, upload }
  }

  const done = run().catch(async (error: unknown) => {
    if (cancelled && uploadId) {
      store.forget(file, uploadId)
      await api.abort(uploadId)
    }
    throw cancelled ? new UploadAbortedError() : error
  })
  return {
    done,
    abort: () => {
      cancelled = true
      sending?.cancel()
      stopDeciding?.()
    },
  }
}

/**
 * Offers to resume an earlier upload of the same file the server still holds; starts over if declined. `decision`
 * rejects when the upload is cancelled while asking (the earlier upload then stays for next time).
 */
async function chooseUpload(options: MultipartUploadOptions, api: MultipartApi, store: ResumeStore, decision: () => Promise<boolean>): Promise<Chosen> {
  const { file, control } = options
  const earlierId = store.uploadIdOf(file)
  const earlier = earlierId ? await api.find(earlierId) : null
  if (earlierId && !earlier) store.forget(file, earlierId)
  if (earlier) {
    const finished = store.unrecorded(earlier.id, multipartPartCount(file.size, earlier.partSize))
    for (const part of earlier.parts) finished.set(part.partNumber, part.etag)
    const done = [...finished.keys()].reduce((sum, partNumber) => sum + multipartPartLength(file.size, earlier.partSize, partNumber), 0)
    control.offer = { percent: Math.floor((done / file.size) * 100) }
    const accepted = await decision().finally(() => (control.offer = null))
    if (accepted) return { id: earlier.id, partSize: earlier.partSize, finished, recorded: new Set(earlier.parts.map(part => part.partNumber)) }
    store.forget(file, earlier.id)
    await api.abort(earlier.id)
  }
  const created = await api.create({ filename: file.name, contentType: options.contentType, fileSize: file.size, preview: previewRequest(options.preview) })
  store.remember(file, created.id)
  const previewSent = 'preview' in created ? putPreview(created.preview, options.preview) : undefined
  return { id: created.id, partSize: created.partSize, finished: new Map(), recorded: new Set(), previewSent }
}

/** Sends the parts storage does not have yet and reports them all; `done` settles once the server has every ETag. */
function sendParts(options: MultipartUploadOptions, api: MultipartApi, store: ResumeStore, chosen: Chosen, cancelled: () => boolean) {
  const { file, control } = options
  const partLength = (partNumber: number) => multipartPartLength(file.size, chosen.partSize, partNumber)
  const progress = createPartProgress(file.size, options.onProgress)
  const recorder = createPartRecorder({
    record: parts => api.record(chosen.id, parts, cancelled),
    keep: unrecorded => store.keepUnrecorded(chosen.id, unrecorded),
    batch: RECORD_BATCH,
    maxPerReport: multipartPolicy.maxPartsPerSigningRequest,
  })
  for (const [partNumber, etag] of chosen.finished) {
    progress.finished(partNumber, partLength(partNumber))
    if (!chosen.recorded.has(partNumber)) recorder.restore(partNumber, etag)
  }
  const partCount = multipartPartCount(file.size, chosen.partSize)
  const pool = createPartPool({
    partNumbers: Array.from({ length: partCount }, (_, index) => index + 1).filter(partNumber => !progress.has(partNumber)),
    parallel: multipartPolicy.parallelParts,
    paused: control.paused,
    wait: options.wait,
    send: async (partNumber, signal) => {
      const url = await signer.urlFor(partNumber)
      // Paused while its URL was being signed: nothing sent yet, so it waits for resume with the rest.
      if (control.paused) throw new UploadAbortedError()
      try {
        const start = (partNumber - 1) * chosen.partSize
        const body = file.slice(start, start + partLength(partNumber))
        const etag = await (options.put ?? putPart)(url, body, signal, loaded => progress.moving(partNumber, loaded))
        control.partsSent++
        progress.finished(partNumber, partLength(partNumber))
        recorder.add(partNumber, etag)
      }
      catch (error) {
        signer.forget(partNumber)
        progress.dropped(partNumber)
        throw error
      }
    },
  })
  const signer = createPartSigner({
    sign: partNumbers => api.sign(chosen.id, partNumbers),
    waiting: pool.waiting,
    batch: multipartPolicy.maxPartsPerSigningRequest,
    ahead: multipartPolicy.parallelParts * 2,
  })
  progress.report()
  return {
    done: pool.run().then(() => recorder.flush()).finally(progress.stop),
    /** Resolves once the parts in flight have finished; what is finished is reported then (and at once). */
    pause: () => {
      const report = () => recorder.flush().catch(() => {}) // kept locally; sent again before completing
      void report()
      return pool.pause().then(report)
    },
    resume: pool.resume,
    cancel: pool.cancel,
  }
}
