import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { rateLimitConfig } from '../../server/utils/config'
import { api, signUp } from '../support/api'
import { inOneLimiterWindow } from '../support/rate-limit'

// Per-user limits on everything that costs a query or a storage call, not only on URL issuance.
/** `count` requests, ten at a time, so a burst fits in one window even on a busy machine. */
async function statuses(count: number, request: () => Promise<Response>) {
  const seen: number[] = []
  for (let start = 0; start < count; start += 10) {
    seen.push(...await Promise.all(Array.from({ length: Math.min(10, count - start) }, async () => {
      const response = await request()
      await response.arrayBuffer()
      return response.status
    })))
  }
  return seen
}

describe('rate limits on commits, deletes and lists', () => {
  it('answers a burst of commits and deletes past the limit with 429 + Retry-After, per user', () => inOneLimiterWindow(async () => {
    const greedy = await signUp()
    const bystander = await signUp()
    const { limit } = rateLimitConfig.changes
    // Unknown ids: each request still costs a lookup, which is what the limit is for.
    const seen = await statuses(limit, () => api(`/api/uploads/${randomUUID()}`, { method: 'DELETE', cookie: greedy.cookie }))
    expect(seen.every(status => status === 404)).toBe(true)
    const over = await api(`/api/uploads/${randomUUID()}/complete`, { method: 'POST', cookie: greedy.cookie })
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('60')
    expect(await over.json()).toMatchObject({ statusCode: 429, message: expect.stringMatching(/too many changes/i) })
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: greedy.cookie })).status).toBe(429)
    expect((await api(`/api/uploads/${randomUUID()}`, { method: 'DELETE', cookie: bystander.cookie })).status).toBe(404)
  }), 180_000) // room for one more run when the first crossed a window boundary

  it('answers a burst of list requests past the limit with 429, per user', () => inOneLimiterWindow(async () => {
    const greedy = await signUp()
    const bystander = await signUp()
    const { limit } = rateLimitConfig.lists
    const seen = await statuses(limit, () => api('/api/uploads', { cookie: greedy.cookie }))
    expect(seen.every(status => status === 200)).toBe(true)
    expect((await api('/api/user/activity', { cookie: greedy.cookie })).status).toBe(429)
    expect((await api('/api/uploads', { cookie: greedy.cookie })).status).toBe(429)
    expect((await api('/api/uploads', { cookie: bystander.cookie })).status).toBe(200)
  }), 180_000) // room for one more run when the first crossed a window boundary
})
