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
 * Hand-written: upload libraries (Uppy's @uppy/aws-s3) send one file's parts one after another; see docs/architecture.md, "Upload in parts".
 */
export function createPartPool(options: PartPoolOptions) {
  const pool = new PartPool(options)
  return {
    /** Parts not taken by a sender yet, in order. */
    waiting: (): readonly number[] => pool.waiting,
    /** Resolves once every part is sent; rejects with a part's final error, or UploadAbortedError once cancelled. */
    run: () => pool.run(),
    /** Takes no new part; resolves once no part is in flight any more (at once when none is). */
    pause: () => pool.pause(),
    resume: () => pool.resume(),
    cancel: () => pool.cancel(),
  }
}

class PartPool {
  readonly waiting: number[]
  private readonly state: PoolState
  private senders = 0
  private failed = false
  private outcome: { resolve: () => void, reject: (error: unknown) => void } | null = null
  /** Whoever waits for a pause to settle (no sender left). */
  private settled: (() => void)[] = []

  constructor(private readonly options: PartPoolOptions) {
    this.waiting = [...options.partNumbers]
    this.state = { paused: options.paused ?? false, cancelled: false, inFlight: new Set() }
  }

  run() {
    return new Promise<void>((resolve, reject) => {
      this.outcome = { resolve, reject }
      if (this.state.cancelled) reject(new UploadAbortedError())
      else if (this.waiting.length === 0) resolve()
      else this.startSenders()
    })
  }

  pause(): Promise<void> {
    this.state.paused = true
    return new Promise<void>((resolve) => {
      if (this.senders === 0) resolve()
      else this.settled.push(resolve)
    })
  }

  resume() {
    this.state.paused = false
    this.startSenders()
  }

  cancel() {
    this.state.cancelled = true
    this.stopInFlight()
    if (this.senders === 0) this.outcome?.reject(new UploadAbortedError())
  }

  private stopInFlight() {
    this.state.inFlight.forEach(controller => controller.abort())
  }

  private canSend() {
    return !this.state.paused && !this.state.cancelled && !this.failed
  }

  private startSenders() {
    while (this.outcome && this.senders < this.options.parallel && this.waiting.length > 0 && this.canSend()) {
      this.senders++
      this.sender().then(() => this.senderStopped(), (error: unknown) => this.senderStopped(error ?? new Error('A part failed')))
    }
  }

  /** One of the parallel senders: takes parts until none are left or the pool is paused. */
  private async sender() {
    while (this.canSend()) {
      const partNumber = this.waiting.shift()
      if (partNumber === undefined) return
      try {
        await sendWithRetry(partNumber, this.options, this.state)
      }
      catch (error) {
        this.waiting.unshift(partNumber)
        // A failure while paused (or a retry a pause gave up): back for the next round.
        if (!this.state.cancelled && (this.state.paused || error instanceof UploadAbortedError)) return
        throw error
      }
    }
  }

  /** The first final error fails the run (stopping the other parts); the last sender to stop settles it. */
  private senderStopped(error?: unknown) {
    this.senders--
    if (error !== undefined && !this.failed) {
      this.failed = true
      this.stopInFlight()
      this.outcome?.reject(error)
    }
    if (this.senders > 0) return
    this.settled.forEach(resolve => resolve())
    this.settled = []
    if (this.failed) return
    if (this.state.cancelled) this.outcome?.reject(new UploadAbortedError())
    else if (this.waiting.length === 0) this.outcome?.resolve()
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
