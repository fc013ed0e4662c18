// The pieces that move one upload's parts: signing URLs ahead of the senders, reporting finished parts in batches,
// and adding up progress.

export interface FinishedPart { partNumber: number, etag: string }

/**
 * Pre-signed part URLs, asked for in batches (as many as the server signs at once). The next batch is asked for in the
 * background while fewer than `ahead` signed parts are waiting, so a sender never waits for a signature.
 */
export function createPartSigner(options: {
  sign: (partNumbers: number[]) => Promise<{ partNumber: number, url: string }[]>
  /** Parts still to send, in order. */
  waiting: () => readonly number[]
  batch: number
  ahead: number
}) {
  const urls = new Map<number, string>()
  let signing: Promise<void> | null = null

  /** Signs `first` (if given) and the next parts that still need a URL, unless a signing request is under way. */
  function signNext(first?: number): Promise<void> {
    if (!signing) {
      const parts = [...first === undefined ? [] : [first], ...options.waiting().filter(next => next !== first && !urls.has(next))]
      signing = options.sign(parts.slice(0, options.batch))
        .then(signed => signed.forEach(part => urls.set(part.partNumber, part.url)))
        .finally(() => (signing = null))
    }
    return signing
  }

  return {
    async urlFor(partNumber: number): Promise<string> {
      while (!urls.has(partNumber)) await signNext(partNumber)
      const waiting = options.waiting()
      const ready = waiting.filter(next => urls.has(next)).length
      if (ready < options.ahead && waiting.some(next => !urls.has(next))) signNext().catch(() => {}) // a part that needs it asks again
      return urls.get(partNumber)!
    },
    /** A URL that failed once (expired, refused) is signed again for the next attempt. */
    forget: (partNumber: number) => urls.delete(partNumber),
  }
}

/**
 * Finished parts, reported to the server `batch` at a time: each report is a Worker request (~17 ms of its CPU,
 * measured locally; one per part made a 128 MiB upload ~25 % slower). Until reported, `keep` holds their ETags in
 * localStorage; where it cannot, each part is reported at once so a reload loses nothing.
 */
export function createPartRecorder(options: {
  record: (parts: FinishedPart[]) => Promise<unknown>
  keep: (unrecorded: ReadonlyMap<number, string>) => boolean
  batch: number
  maxPerReport: number
}) {
  const unrecorded = new Map<number, string>()
  let recording: Promise<void> = Promise.resolve()
  let reportingBatches = false

  /** Reports while at least `atLeast` parts are unreported, after any report under way. */
  function report(atLeast: number): Promise<void> {
    recording = recording.catch(() => {}).then(async () => {
      while (unrecorded.size >= atLeast) {
        const parts = [...unrecorded].slice(0, options.maxPerReport).map(([partNumber, etag]) => ({ partNumber, etag }))
        await options.record(parts)
        // A part sent again meanwhile has a newer ETag, still to report.
        for (const { partNumber, etag } of parts) if (unrecorded.get(partNumber) === etag) unrecorded.delete(partNumber)
        options.keep(unrecorded)
      }
    })
    return recording
  }

  return {
    /** A part finished before a reload that the server has not heard of. */
    restore: (partNumber: number, etag: string) => void unrecorded.set(partNumber, etag),
    add(partNumber: number, etag: string) {
      unrecorded.set(partNumber, etag)
      // Failures surface at the flush before completing.
      if (!options.keep(unrecorded)) report(1).catch(() => {})
      else if (unrecorded.size >= options.batch && !reportingBatches) {
        reportingBatches = true
        report(options.batch).catch(() => {}).finally(() => (reportingBatches = false))
      }
    },
    /** Reports everything still unreported (before completing, and on pause). */
    flush: () => report(1),
  }
}

/** Progress is shown at most this often: each event would otherwise re-render the queue (several a second per part). */
const PROGRESS_INTERVAL_MS = 250

/** Bytes storage has (finished parts) plus bytes of parts in flight, as a fraction of the file. */
export function createPartProgress(totalBytes: number, onProgress: (fraction: number) => void) {
  const finished = new Map<number, number>()
  const moving = new Map<number, number>()
  let timer: ReturnType<typeof setTimeout> | null = null

  function report() {
    if (timer) clearTimeout(timer)
    timer = null
    let bytes = 0
    for (const size of finished.values()) bytes += size
    for (const loaded of moving.values()) bytes += loaded
    onProgress(Math.min(1, bytes / totalBytes))
  }

  return {
    report,
    has: (partNumber: number) => finished.has(partNumber),
    finished(partNumber: number, bytes: number) {
      moving.delete(partNumber)
      finished.set(partNumber, bytes)
      report()
    },
    moving(partNumber: number, loaded: number) {
      moving.set(partNumber, loaded)
      timer ??= setTimeout(report, PROGRESS_INTERVAL_MS)
    },
    /** A part that failed or was stopped starts from nothing next time. */
    dropped(partNumber: number) {
      moving.delete(partNumber)
      report()
    },
    stop: () => timer && clearTimeout(timer),
  }
}
