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
  const { parallel } = options
  const waiting = [...options.partNumbers]
  const state: PoolState = { paused: options.paused ?? false, cancelled: false, inFlight: new Set() }
  let wake: (() => void) | null = null
  const stopInFlight = () => state.inFlight.forEach(controller => controller.abort())

  /** One of the parallel senders: takes parts until none are left or the pool is paused. */
  async function sender() {
    while (!state.paused && !state.cancelled) {
      const partNumber = waiting.shift()
      if (partNumber === undefined) return
      try {
        await sendWithRetry(partNumber, options, state)
      }
      catch (error) {
        waiting.unshift(partNumber)
        // Stopped by a pause (even one resumed since, e.g. while its URL was being signed): back for the next round.
        if (!state.cancelled && (state.paused || error instanceof UploadAbortedError)) return
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
        if (state.paused) await new Promise<void>(resolve => (wake = resolve))
        if (state.cancelled) throw new UploadAbortedError()
        await Promise.all(Array.from({ length: parallel }, sender)).catch((error: unknown) => {
          stopInFlight()
          throw error
        })
      }
    },
    pause() {
      state.paused = true
      stopInFlight()
    },
    resume() {
      state.paused = false
      wake?.()
    },
    cancel() {
      state.cancelled = true
      stopInFlight()
      wake?.()
    },
  }
}

interface PoolState { paused: boolean, cancelled: boolean, inFlight: Set<AbortController> }

/** Sends one part, retrying with backoff; a paused or cancelled pool stops it at once. */
async function sendWithRetry(partNumber: number, options: PartPoolOptions, state: PoolState) {
  const { send, delaysMs = RETRY_DELAYS_MS, wait = sleep } = options
  for (let failures = 0; ; failures++) {
    const controller = new AbortController()
    state.inFlight.add(controller)
    try {
      return await send(partNumber, controller.signal)
    }
    catch (error) {
      if (error instanceof UploadAbortedError || failures >= delaysMs.length || state.paused || state.cancelled) throw error
    }
    finally {
      state.inFlight.delete(controller)
    }
    await wait(delaysMs[failures]!)
    if (state.paused || state.cancelled) throw new UploadAbortedError()
  }
}
