import type { RateLimit } from '@cloudflare/workers-types'
import { createError, setResponseHeader, type H3Event } from 'h3'
import { rateLimitConfig } from './config'
import { useEnv } from './env'

type LimitedAction = keyof Omit<typeof rateLimitConfig, 'auth'>

/** Counts one request against the user's budget for that kind of action; over it, a 429 with Retry-After. */
export async function enforceRateLimit(event: H3Event, action: LimitedAction, userId: string): Promise<void> {
  const { binding, periodSeconds, what } = rateLimitConfig[action]
  const env = useEnv(event)
  const limit = Number.parseInt(env.RATE_LIMIT_OVERRIDE ?? '', 10) || rateLimitConfig[action].limit
  if (await takeAllowance(env[binding], binding, { limit, periodSeconds }, userId)) return
  setResponseHeader(event, 'Retry-After', periodSeconds)
  throw createError({
    statusCode: 429,
    message: `Too many ${what} in a short time. Try again in ${periodSeconds} seconds.`,
    data: { retryAfterSeconds: periodSeconds },
  })
}

/** Requests a user may still make in this isolate: reserved from the binding in one call (`delta`), used one by one. */
interface Allowance {
  window: number
  tokens: number
  /** Reserved by this isolate in this window, answered or not; reservations stop at the limit, as one isolate's count. */
  reserved: number
  /** Reservations not answered yet. */
  inFlight: number
  /** The binding refused this window: so does this isolate, without asking again. */
  refused: boolean
  /** The next reservation's size: doubles while a user keeps using them up, so a user who makes one request reserves one. */
  batch: number
}

const allowances = new Map<string, Allowance>()
const MAX_ALLOWANCES = 10_000

/** Largest reservation: another isolate could let through at most this many minus one past the limit. */
export const maxReservation = (limit: number) => Math.max(1, Math.min(64, Math.floor(limit / 10)))

interface LimitRule { limit: number, periodSeconds: number }

/**
 * One request's worth of the user's allowance, reserving more from the binding when none is left here, so a busy user
 * costs one binding call per batch rather than per request. Hand-written: no library batches a Workers rate limiter.
 * A request awaits only its own binding call or a timer: workerd cancels a request that waits on another's I/O.
 */
export async function takeAllowance(limiter: RateLimit, name: string, rule: LimitRule, userId: string): Promise<boolean> {
  for (;;) {
    const allowance = currentAllowance(`${name}:${userId}`, Math.floor(Date.now() / (rule.periodSeconds * 1000)))
    if (allowance.tokens > 0) {
      allowance.tokens--
      return true
    }
    if (allowance.refused) return false
    // Once this isolate has asked for the whole limit, the answers still out either bring spare requests or show the
    // limit reached: a further call now could land first and let one more through.
    if (allowance.reserved < rule.limit || allowance.inFlight === 0) return reserve(limiter, allowance, rule.limit, userId)
    await new Promise(resolve => setTimeout(resolve, 1))
  }
}

async function reserve(limiter: RateLimit, allowance: Allowance, limit: number, userId: string): Promise<boolean> {
  // Past the limit, one at a time, so the binding answers exactly as it would per request.
  const delta = Math.max(1, Math.min(allowance.batch, limit - allowance.reserved))
  allowance.reserved += delta
  allowance.batch = Math.min(allowance.batch * 2, maxReservation(limit))
  allowance.inFlight++
  const { success } = await limiter.limit({ key: userId, delta }).finally(() => {
    allowance.inFlight--
  })
  if (!success) {
    allowance.reserved -= delta
    // The binding counts in fixed windows: full now means full until this window ends.
    allowance.refused = true
    return false
  }
  allowance.tokens += delta - 1
  return true
}

function currentAllowance(id: string, window: number): Allowance {
  const known = allowances.get(id)
  if (known?.window === window) return known
  if (allowances.size >= MAX_ALLOWANCES) {
    for (const [other, { window: otherWindow }] of allowances) if (otherWindow !== window) allowances.delete(other)
    if (allowances.size >= MAX_ALLOWANCES) allowances.clear()
  }
  const fresh: Allowance = { window, tokens: 0, reserved: 0, inFlight: 0, refused: false, batch: 1 }
  allowances.set(id, fresh)
  return fresh
}
