import { UploadAbortedError } from './directUpload'
import { RETRY_DELAYS_MS, sleep } from './multipartApi'

export interface PartPoolOptions {
  partNumbers: number[]
  parallel: number
  /** One attempt at one part; must stop (rejecting) when `signal` aborts. */
  send: (partNumber: number, signal: AbortSignal) => Promise<void>
  paused?: boolean
  delaysMs?: readonly number[]
  wait?: (ms: number) => Promise<void>
}

/**
 * Sends parts `parallel` at a time, each retried alone with backoff. Pause stops the parts in flight (they are sent
 * again on resume; finished parts stay finished); cancel stops everything for good.
 * Hand-written: upload libraries (Uppy's @uppy/aws-s3) send one file's parts one after another; see README "Large files".
 */
export function createPartPool(options: PartPoolOptions) {
  const { parallel, send, delaysMs = RETRY_DELAYS_MS, wait = sleep } = options
  const waiting = [...options.partNumbers]
  const inFlight = new Set<AbortController>()
  let paused = options.paused ?? false
  let cancelled = false
  let wake: (() => void) | null = null
  const stopInFlight = () => inFlight.forEach(controller => controller.abort())

  async function sendWithRetry(partNumber: number) {
    for (let failures = 0; ; failures++) {
      const controller = new AbortController()
      inFlight.add(controller)
      try {
        return await send(partNumber, controller.signal)
      }
      catch (error) {
        if (error instanceof UploadAbortedError || failures >= delaysMs.length || paused || cancelled) throw error
      }
      finally {
        inFlight.delete(controller)
      }
      await wait(delaysMs[failures]!)
      if (paused || cancelled) throw new UploadAbortedError()
    }
  }

  /** One of the parallel senders: takes parts until none are left or the pool is paused. */
  async function sender() {
    while (!paused && !cancelled) {
      const partNumber = waiting.shift()
      if (partNumber === undefined) return
      try {
        await sendWithRetry(partNumber)
      }
      catch (error) {
        waiting.unshift(partNumber)
        if (paused && !cancelled) return
        throw error
      }
    }
  }

  return {
    /** Parts not taken by a sender yet, in order. */
    waiting: (): readonly number[] => waiting,
    /** Resolves once every part is sent; rejects with a part's final error, or UploadAbortedError once cancelled. */
    async run() {
      while (waiting.length > 0) {
        if (paused) await new Promise<void>(resolve => (wake = resolve))
        if (cancelled) throw new UploadAbortedError()
        await Promise.all(Array.from({ length: parallel }, sender)).catch((error: unknown) => {
          stopInFlight()
          throw error
        })
      }
    },
    pause() {
      paused = true
      stopInFlight()
    },
    resume() {
      paused = false
      wake?.()
    },
    cancel() {
      cancelled = true
      stopInFlight()
      wake?.()
    },
  }
}
