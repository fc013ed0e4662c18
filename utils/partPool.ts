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
 * Sends parts `parallel` at a time, each retried alone with backoff. Pause takes no new part but lets the parts in
 * flight finish, so no sent byte is lost and progress never goes back; cancel stops everything at once, for good.
 * Hand-written: upload libraries (Uppy's @uppy/aws-s3) send one file's parts one after another; see README "Large files".
 */
export function createPartPool(options: PartPoolOptions) {
  const { parallel } = options
  const waiting = [...options.partNumbers]
  const state: PoolState = { paused: options.paused ?? false, cancelled: false, inFlight: new Set() }
  let senders = 0
  let failed = false
  let outcome: { resolve: () => void, reject: (error: unknown) => void } | null = null
  /** Whoever waits for a pause to settle (no sender left). */
  let settled: (() => void)[] = []
  const stopInFlight = () => state.inFlight.forEach(controller => controller.abort())

  /** One of the parallel senders: takes parts until none are left or the pool is paused. */
  async function sender() {
    while (!state.paused && !state.cancelled && !failed) {
      const partNumber = waiting.shift()
      if (partNumber === undefined) return
      try {
        await sendWithRetry(partNumber, options, state)
      }
      catch (error) {
        waiting.unshift(partNumber)
        // A failure while paused (or a retry a pause gave up): back for the next round.
        if (!state.cancelled && (state.paused || error instanceof UploadAbortedError)) return
        throw error
      }
    }
  }

  function startSenders() {
    while (outcome && senders < parallel && waiting.length > 0 && !state.paused && !state.cancelled && !failed) {
      senders++
      sender().then(() => senderStopped(), (error: unknown) => senderStopped(error ?? new Error('A part failed')))
    }
  }

  /** The first final error fails the run (stopping the other parts); the last sender to stop settles it. */
  function senderStopped(error?: unknown) {
    senders--
    if (error !== undefined && !failed) {
      failed = true
      stopInFlight()
      outcome?.reject(error)
    }
    if (senders > 0) return
    settled.forEach(resolve => resolve())
    settled = []
    if (failed) return
    if (state.cancelled) outcome?.reject(new UploadAbortedError())
    else if (waiting.length === 0) outcome?.resolve()
  }

  return {
    /** Parts not taken by a sender yet, in order. */
    waiting: (): readonly number[] => waiting,
    /** Resolves once every part is sent; rejects with a part's final error, or UploadAbortedError once cancelled. */
    run() {
      return new Promise<void>((resolve, reject) => {
        outcome = { resolve, reject }
        if (state.cancelled) reject(new UploadAbortedError())
        else if (waiting.length === 0) resolve()
        else startSenders()
      })
    },
    /** Takes no new part; resolves once no part is in flight any more (at once when none is). */
    pause(): Promise<void> {
      state.paused = true
      return new Promise<void>((resolve) => {
        if (senders === 0) resolve()
        else settled.push(resolve)
      })
    },
    resume() {
      state.paused = false
      startSenders()
    },
    cancel() {
      state.cancelled = true
      stopInFlight()
      if (senders === 0) outcome?.reject(new UploadAbortedError())
    },
  }
}

interface PoolState { paused: boolean, cancelled: boolean, inFlight: Set<AbortController> }

/** Sends one part, retrying with backoff; a cancelled pool stops it at once, a paused one retries no more. */
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
