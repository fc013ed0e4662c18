import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { H3Error, H3Event } from 'h3'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { rateLimitConfig } from '../../server/utils/config'
import { enforceRateLimit, maxReservation, takeAllowance } from '../../server/utils/rate-limit'

type Action = Parameters<typeof enforceRateLimit>[1]

/**
 * A Workers Rate Limiting binding as the runtime's: counted per key per window; a call is allowed while the count is
 * below the limit, even when its `delta` takes the count past it.
 */
function fakeLimiter(limit: number) {
  const counts = new Map<string, number>()
  const keys: string[] = []
  const deltas: number[] = []
  return {
    keys,
    deltas,
    counted: (key: string) => counts.get(key) ?? 0,
    reset: () => counts.clear(), // a new window
    async limit({ key, delta = 1 }: { key: string, delta?: number }) {
      keys.push(key)
      deltas.push(delta)
      const count = counts.get(key) ?? 0
      if (count >= limit) return { success: false }
      counts.set(key, count + delta)
      return { success: true }
    },
  }
}

/** A request event whose Cloudflare env holds a fake limiter for every limited action. */
function eventWith(limiters: Record<string, ReturnType<typeof fakeLimiter>>) {
  const request = new IncomingMessage(new Socket())
  const event = new H3Event(request, new ServerResponse(request))
  // Only `env` is read; the request and execution context of a real Worker invocation play no part here.
  event.context.cloudflare = { env: limiters } as unknown as NonNullable<H3Event['context']['cloudflare']>
  return event
}

const actions = Object.keys(rateLimitConfig).filter(action => action !== 'auth') as Action[]

function limitersByBinding() {
  return Object.fromEntries(actions.map(action => [rateLimitConfig[action].binding, fakeLimiter(rateLimitConfig[action].limit)]))
}

async function refusal(run: Promise<void>) {
  const error = await run.then(() => null, (error: unknown) => error)
  expect(error).toBeInstanceOf(H3Error)
  return error as H3Error
}

describe('enforceRateLimit against a fake binding', () => {
  it.each(actions)('%s: counts against its own binding, keyed by the user; over the limit, a 429 with Retry-After', async (action) => {
    const { binding, limit, periodSeconds, what } = rateLimitConfig[action]
    const limiters = limitersByBinding()
    const event = eventWith(limiters)
    for (let i = 0; i < limit; i++) await enforceRateLimit(event, action, 'user-1')
    expect(event.node.res.getHeader('Retry-After')).toBeUndefined()
    // Every call on its own binding, keyed by the user, and exactly the limit counted: reservations may batch calls.
    expect(limiters[binding]!.keys).toEqual(Array(limiters[binding]!.keys.length).fill('user-1'))
    expect(limiters[binding]!.keys.length).toBeGreaterThan(0)
    expect(limiters[binding]!.counted('user-1')).toBe(limit)
    for (const [other, limiter] of Object.entries(limiters)) if (other !== binding) expect(limiter.keys).toEqual([])

    const error = await refusal(enforceRateLimit(event, action, 'user-1'))
    expect(error.statusCode).toBe(429)
    expect(error.message).toBe(`Too many ${what} in a short time. Try again in ${periodSeconds} seconds.`)
    expect(error.data).toEqual({ retryAfterSeconds: periodSeconds })
    expect(String(event.node.res.getHeader('Retry-After'))).toBe(String(periodSeconds))
  })

  it('limits each user on their own, and lets a user in again in the next window', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1, 0, 0, 0) })
    onTestFinished(() => {
      vi.useRealTimers()
    })
    const limiters = limitersByBinding()
    const { limit, binding } = rateLimitConfig.uploadUrls
    for (let i = 0; i < limit; i++) await enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy')
    expect((await refusal(enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy'))).statusCode).toBe(429)
    const bystander = eventWith(limiters)
    await enforceRateLimit(bystander, 'uploadUrls', 'bystander')
    expect(bystander.node.res.getHeader('Retry-After')).toBeUndefined()
    vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 1, 0))
    limiters[binding]!.reset()
    await enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy')
  })
})

describe('reservations: one binding call for several requests of a busy user', () => {
  const rule = { limit: 600, periodSeconds: 60 }
  let user = 0
  const nextUser = () => `reserving-${++user}`

  it('a user who makes one request reserves one; a busy user reserves more per call, up to the cap, never past the limit', async () => {
    const limiter = fakeLimiter(rule.limit)
    const id = nextUser()
    expect(await takeAllowance(limiter, 'L', rule, id)).toBe(true)
    expect(limiter.deltas).toEqual([1])
    let allowed = 1
    while (await takeAllowance(limiter, 'L', rule, id)) allowed++
    expect(allowed).toBe(rule.limit)
    expect(limiter.counted(id)).toBe(rule.limit)
    expect(Math.max(...limiter.deltas)).toBe(maxReservation(rule.limit))
    expect(limiter.deltas.slice(0, 4)).toEqual([1, 2, 4, 8])
    // Twelve calls for 600 requests, then the call that was refused.
    expect(limiter.keys.length).toBeLessThan(rule.limit / 10)
  })

  it('concurrent requests of one isolate never let more than the limit through together', async () => {
    const small = { limit: 60, periodSeconds: 60 }
    const limiter = fakeLimiter(small.limit)
    const id = nextUser()
    const answers: boolean[] = []
    for (let burst = 0; burst < 8; burst++) answers.push(...await Promise.all(Array.from({ length: 10 }, () => takeAllowance(limiter, 'C', small, id))))
    expect(answers.slice(0, small.limit).every(Boolean)).toBe(true)
    expect(answers.slice(small.limit).some(Boolean)).toBe(false)
    expect(limiter.counted(id)).toBe(small.limit)
    expect(limiter.keys.length).toBeLessThan(small.limit)
  })

  it('other isolates\' requests count: once the binding is full, this isolate refuses, at most a reservation past the limit', async () => {
    const limiter = fakeLimiter(rule.limit)
    const id = nextUser()
    for (let i = 0; i < 10; i++) await takeAllowance(limiter, 'L', rule, id)
    for (let other = limiter.counted(id); other < rule.limit - 1; other++) await limiter.limit({ key: id })
    let allowed = 0
    while (await takeAllowance(limiter, 'L', rule, id)) allowed++
    expect(allowed).toBeGreaterThanOrEqual(1)
    expect(limiter.counted(id) - rule.limit).toBeLessThan(maxReservation(rule.limit))
    expect(await takeAllowance(limiter, 'L', rule, id)).toBe(false)
  })

  it('a new window starts with nothing reserved', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1, 0, 0, 30) })
    try {
      const limiter = fakeLimiter(rule.limit)
      const id = nextUser()
      for (let i = 0; i < 4; i++) await takeAllowance(limiter, 'L', rule, id) // reserves 1, 2, 4: three left
      vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 1, 0))
      limiter.reset()
      const before = limiter.deltas.length
      expect(await takeAllowance(limiter, 'L', rule, id)).toBe(true)
      expect(limiter.deltas.slice(before)).toEqual([1])
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('a user under a small limit reserves one at a time', async () => {
    const small = { limit: 9, periodSeconds: 60 }
    const limiter = fakeLimiter(small.limit)
    const id = nextUser()
    while (await takeAllowance(limiter, 'S', small, id));
    expect(limiter.deltas).toEqual([...Array(small.limit).fill(1), 1])
    expect(limiter.counted(id)).toBe(small.limit)
  })
})
