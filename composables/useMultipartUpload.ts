// Large files go to storage in parts, several at once, each straight to a pre-signed UploadPart URL. Every finished part's
// ETag is kept in localStorage at once and reported to the server a few parts at a time, so a reload or a lost
// connection loses at most the parts in flight: choosing the same file again (same name, size and last-modified time,
// remembered in localStorage) offers to resume, reports what the server has not heard of yet, and sends only the rest.
// Uppy's @uppy/aws-s3 6.x was the first choice but sends one file's parts one after another and resumes through S3
// ListParts, which the local endpoint does not implement; see docs/architecture.md.

const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000]
/**
 * URLs asked for per signing request: as many as the server allows (every part of any file up to the 5 GiB limit in one
 * request). The next batch is asked for in the background while this many signed parts are still waiting, so a sender
 * never waits for a signature.
 */
const SIGN_BATCH = multipartPolicy.maxPartsPerSigningRequest
const SIGN_AHEAD = multipartPolicy.parallelParts * 2
/**
 * Finished parts are reported to the server this many at a time: each report is a Worker request (~17 ms of its CPU,
 * measured locally; one per part made a 128 MiB upload ~25 % slower), and until it is sent the ETags wait in localStorage.
 */
const RECORD_BATCH = 8
/** Progress is shown at most this often: each event would otherwise re-render the queue (several a second per part). */
const PROGRESS_INTERVAL_MS = 250
const wait = (attempt: number) => new Promise(resolve => setTimeout(resolve, RETRY_DELAYS_MS[attempt]))

/** What the queue shows and drives for one large file (kept on its queue entry, so it is reactive). */
export interface MultipartControl {
  paused: boolean
  /** Set while asking whether to resume an earlier, unfinished upload of the same file. */
  offer: { percent: number } | null
  /** Parts this page has sent to storage (retries and resumed uploads only send what is missing). */
  partsSent: number
  pause: () => void
  resume: () => void
  decide: (resume: boolean) => void
}

export const isLargeFile = (file: File) => file.size >= multipartPolicy.thresholdBytes

const resumeKey = (file: File) => `gallery.multipart:${file.name}:${file.size}:${file.lastModified}`
/** ETags of an upload's finished parts the server has not recorded yet. */
const unrecordedKey = (uploadId: string) => `gallery.multipart-parts:${uploadId}`

function readUnrecorded(uploadId: string, partCount: number): Map<number, string> {
  let kept: unknown
  try {
    kept = JSON.parse(localStorage.getItem(unrecordedKey(uploadId)) ?? '{}')
  }
  catch {
    return new Map()
  }
  const parts = Object.entries(kept ?? {}).map(([partNumber, etag]) => [Number(partNumber), etag] as const)
    .filter((part): part is [number, string] => Number.isInteger(part[0]) && part[0] >= 1 && part[0] <= partCount && typeof part[1] === 'string')
  return new Map(parts)
}

function forgetUpload(file: File, uploadId: string) {
  localStorage.removeItem(resumeKey(file))
  localStorage.removeItem(unrecordedKey(uploadId))
}

interface PartInFlight { xhr: XMLHttpRequest, loaded: number }

/**
 * Uploads `file` in parts and completes it; resolves with the committed upload's id. `control` must be the reactive
 * object the queue renders: its methods are filled in here.
 */
export function multipartUpload(file: File, contentType: string, control: MultipartControl, onProgress: (fraction: number) => void): DirectUpload & { done: Promise<{ etag: null, uploadId: string }> } {
  let cancelled = false
  let uploadId: string | null = null
  let decide: ((resume: boolean) => void) | null = null
  let resumed: (() => void) | null = null
  /** Bytes per part that storage has (recorded by the server earlier, or sent by this page). */
  const sent = new Map<number, number>()
  /** Finished parts whose ETags the server has not recorded yet (kept in localStorage too). */
  const unrecorded = new Map<number, string>()
  let recording: Promise<void> = Promise.resolve()
  let reportingFullBatches = false
  const inFlight = new Map<number, PartInFlight>()
  const urls = new Map<number, string>()
  let pending: number[] = []
  let partSize = 0
  let signing: Promise<void> | null = null

  let reportTimer: ReturnType<typeof setTimeout> | null = null
  const report = () => {
    if (reportTimer) clearTimeout(reportTimer)
    reportTimer = null
    let bytes = 0
    for (const size of sent.values()) bytes += size
    for (const part of inFlight.values()) bytes += part.loaded
    onProgress(Math.min(1, bytes / file.size))
  }
  const reportSoon = () => {
    reportTimer ??= setTimeout(report, PROGRESS_INTERVAL_MS)
  }
  const partLength = (partNumber: number) => multipartPartLength(file.size, partSize, partNumber)
  const stopParts = () => {
    for (const part of inFlight.values()) part.xhr.abort()
  }

  control.decide = resume => decide?.(resume)
  control.pause = () => {
    control.paused = true
    stopParts()
    recordFinished().catch(() => {}) // kept locally; sent again before completing
  }
  control.resume = () => {
    control.paused = false
    resumed?.()
  }

  /** An earlier upload of this file the server still holds, with its recorded parts. */
  async function findEarlier() {
    const id = localStorage.getItem(resumeKey(file))
    if (!id) return null
    return $fetch(`/api/uploads/multipart/${id}`).catch((error: { statusCode?: number }) => {
      // Gone (completed, aborted, expired, another user's): forget it. Anything else may pass; keep it for next time.
      if (error?.statusCode !== 404 && error?.statusCode !== 410) throw error
      forgetUpload(file, id)
      return null
    })
  }

  async function start() {
    const earlier = await findEarlier()
    if (earlier) {
      const finished = readUnrecorded(earlier.id, multipartPartCount(file.size, earlier.partSize))
      for (const part of earlier.parts) finished.set(part.partNumber, part.etag)
      const done = [...finished.keys()].reduce((sum, partNumber) => sum + multipartPartLength(file.size, earlier.partSize, partNumber), 0)
      control.offer = { percent: Math.floor((done / file.size) * 100) }
      const accepted = await new Promise<boolean>(resolve => (decide = resolve))
      control.offer = null
      if (cancelled) throw new UploadAbortedError()
      if (accepted) {
        uploadId = earlier.id
        partSize = earlier.partSize
        const recorded = new Set(earlier.parts.map(part => part.partNumber))
        for (const [partNumber, etag] of finished) {
          sent.set(partNumber, partLength(partNumber))
          if (!recorded.has(partNumber)) unrecorded.set(partNumber, etag)
        }
      }
      else {
        forgetUpload(file, earlier.id)
        await $fetch(`/api/uploads/multipart/${earlier.id}`, { method: 'DELETE' }).catch(() => {})
      }
    }
    if (!uploadId) {
      const created = await $fetch('/api/uploads/multipart', { method: 'POST', body: { filename: file.name, contentType, fileSize: file.size } })
      uploadId = created.id
      partSize = created.partSize
      localStorage.setItem(resumeKey(file), created.id)
    }
    if (cancelled) throw new UploadAbortedError()
    const partCount = multipartPartCount(file.size, partSize)
    pending = Array.from({ length: partCount }, (_, index) => index + 1).filter(partNumber => !sent.has(partNumber))
    report()
    while (pending.length > 0) {
      if (control.paused) await new Promise<void>(resolve => (resumed = resolve))
      if (cancelled) throw new UploadAbortedError()
      await Promise.all(Array.from({ length: multipartPolicy.parallelParts }, sendParts)).catch((error: unknown) => {
        stopParts()
        throw error
      })
    }
    await recordFinished()
    await $fetch(`/api/uploads/multipart/${uploadId}/complete`, { method: 'POST' })
    forgetUpload(file, uploadId)
    return { etag: null, uploadId }
  }

  /** One of the parallel senders: takes parts until none are left or the upload is paused. */
  async function sendParts() {
    while (!control.paused && !cancelled) {
      const partNumber = pending.shift()
      if (partNumber === undefined) return
      try {
        await sendPart(partNumber)
      }
      catch (error) {
        pending.unshift(partNumber)
        if (control.paused && !cancelled) return
        throw error
      }
    }
  }

  /**
   * Sends one part, retrying with backoff; a paused or cancelled upload stops at once. Its ETag is kept locally and
   * reported with the next batch in the background, so the slot takes the next part without waiting for the server.
   */
  async function sendPart(partNumber: number) {
    for (let attempt = 0; ; attempt++) {
      try {
        const url = await urlFor(partNumber)
        const start = (partNumber - 1) * partSize
        const etag = await putPart(partNumber, url, file.slice(start, start + partLength(partNumber)))
        sent.set(partNumber, partLength(partNumber))
        report()
        unrecorded.set(partNumber, etag)
        // Without localStorage (full, or blocked) a reload would lose the ETag: report it at once.
        if (!keepUnrecorded()) recordFinished().catch(() => {}) // surfaces before completing
        else if (unrecorded.size >= RECORD_BATCH) reportFullBatches()
        return
      }
      catch (error) {
        inFlight.delete(partNumber)
        urls.delete(partNumber)
        report()
        if (error instanceof UploadAbortedError || attempt >= RETRY_DELAYS_MS.length || control.paused || cancelled) throw error
        await wait(attempt)
        if (control.paused || cancelled) throw new UploadAbortedError()
      }
    }
  }

  /** Whether the unrecorded ETags are now in localStorage. */
  function keepUnrecorded(): boolean {
    try {
      if (unrecorded.size === 0) localStorage.removeItem(unrecordedKey(uploadId!))
      else localStorage.setItem(unrecordedKey(uploadId!), JSON.stringify(Object.fromEntries(unrecorded)))
      return true
    }
    catch {
      return false
    }
  }

  /** In the background, while at least a batch of finished parts is unreported (parts finishing meanwhile join it). */
  function reportFullBatches() {
    if (reportingFullBatches) return
    reportingFullBatches = true
    recordFinished(RECORD_BATCH).catch(() => {}).finally(() => (reportingFullBatches = false)) // surfaces before completing
  }

  /** Reports finished parts the server has not recorded, while at least `atLeast` are left, after any report under way. */
  function recordFinished(atLeast = 1): Promise<void> {
    recording = recording.catch(() => {}).then(async () => {
      while (uploadId && unrecorded.size >= atLeast) {
        const batch = [...unrecorded].slice(0, multipartPolicy.maxPartsPerSigningRequest).map(([partNumber, etag]) => ({ partNumber, etag }))
        await recordParts(batch)
        // A part sent again meanwhile has a newer ETag, still to report.
        for (const { partNumber, etag } of batch) if (unrecorded.get(partNumber) === etag) unrecorded.delete(partNumber)
        keepUnrecorded()
      }
    })
    return recording
  }

  async function recordParts(parts: { partNumber: number, etag: string }[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        await $fetch(`/api/uploads/multipart/${uploadId}/parts`, { method: 'PUT', body: { parts } })
        return
      }
      catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length || cancelled) throw error
        await wait(attempt)
      }
    }
  }

  /** Signs `first` (if given) and the next parts that still need a URL, unless a signing request is under way. */
  function signNext(first?: number): Promise<void> {
    if (!signing) {
      const batch = [...first === undefined ? [] : [first], ...pending.filter(next => next !== first && !urls.has(next))].slice(0, SIGN_BATCH)
      signing = $fetch(`/api/uploads/multipart/${uploadId}/parts`, { method: 'POST', body: { partNumbers: batch } })
        .then(({ parts }) => parts.forEach(part => urls.set(part.partNumber, part.url)))
        .finally(() => (signing = null))
    }
    return signing
  }

  /** The part's URL; asks for the next batch early, while the senders still have signed parts to take. */
  async function urlFor(partNumber: number): Promise<string> {
    while (!urls.has(partNumber)) await signNext(partNumber)
    const ready = pending.filter(next => urls.has(next)).length
    if (ready < SIGN_AHEAD && pending.some(next => !urls.has(next))) signNext().catch(() => {}) // a part that needs it asks again
    return urls.get(partNumber)!
  }

  function putPart(partNumber: number, url: string, body: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      inFlight.set(partNumber, { xhr, loaded: 0 })
      xhr.open('PUT', url)
      xhr.upload.onprogress = (event) => {
        const part = inFlight.get(partNumber)
        if (part) part.loaded = event.loaded
        reportSoon()
      }
      xhr.onload = () => {
        inFlight.delete(partNumber)
        const etag = xhr.getResponseHeader('ETag')
        if (xhr.status >= 200 && xhr.status < 300 && etag) {
          control.partsSent++
          resolve(etag)
        }
        else {
          reject(describeStorageError(xhr.status, xhr.responseText))
        }
      }
      xhr.onerror = () => reject(describeStorageError(0, ''))
      xhr.onabort = () => reject(new UploadAbortedError())
      xhr.send(body)
    })
  }

  const done = start().finally(() => reportTimer && clearTimeout(reportTimer)).catch(async (error: unknown) => {
    if (cancelled && uploadId) {
      forgetUpload(file, uploadId)
      await $fetch(`/api/uploads/multipart/${uploadId}`, { method: 'DELETE' }).catch(() => {})
    }
    throw cancelled ? new UploadAbortedError() : error
  })
  return {
    done,
    abort: () => {
      cancelled = true
      stopParts()
      decide?.(false)
      resumed?.()
    },
  }
}
