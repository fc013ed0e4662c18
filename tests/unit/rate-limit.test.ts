import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { H3Error, H3Event } from 'h3'
import { describe, expect, it } from 'vitest'
import { rateLimitConfig } from '../../server/utils/config'
import { enforceRateLimit } from '../../server/utils/rate-limit'

type Action = Parameters<typeof enforceRateLimit>[1]

/** A Workers Rate Limiting binding as the runtime's: `limit` requests per key per window, counted per key. */
function fakeLimiter(limit: number) {
  const counts = new Map<string, number>()
  const keys: string[] = []
  return {
    keys,
    reset: () => counts.clear(), // a new window
    async limit({ key }: { key: string }) {
      keys.push(key)
      const count = counts.get(key) ?? 0
      if (count >= limit) return { success: false }
      counts.set(key, count + 1)
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
    expect(limiters[binding]!.keys).toEqual(Array(limit).fill('user-1'))
    for (const [other, limiter] of Object.entries(limiters)) if (other !== binding) expect(limiter.keys).toEqual([])

    const error = await refusal(enforceRateLimit(event, action, 'user-1'))
    expect(error.statusCode).toBe(429)
    expect(error.message).toBe(`Too many ${what} in a short time. Try again in ${periodSeconds} seconds.`)
    expect(error.data).toEqual({ retryAfterSeconds: periodSeconds })
    expect(String(event.node.res.getHeader('Retry-After'))).toBe(String(periodSeconds))
  })

  it('limits each user on their own, and lets a user in again in the next window', async () => {
    const limiters = limitersByBinding()
    const { limit, binding } = rateLimitConfig.uploadUrls
    for (let i = 0; i < limit; i++) await enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy')
    expect((await refusal(enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy'))).statusCode).toBe(429)
    const bystander = eventWith(limiters)
    await enforceRateLimit(bystander, 'uploadUrls', 'bystander')
    expect(bystander.node.res.getHeader('Retry-After')).toBeUndefined()
    limiters[binding]!.reset()
    await enforceRateLimit(eventWith(limiters), 'uploadUrls', 'greedy')
  })
})
