import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { requestConfig } from '../../server/utils/config'
import { api, baseURL, randomClientIp, signUp, sql } from '../support/api'
import { inOneLimiterWindow } from '../support/rate-limit'

const origin = new URL(baseURL).origin
const port = new URL(baseURL).port

/** Every state-changing route of the app's own API, with a body it would accept. */
const stateChanging = (id: string): [string, string, unknown?][] => [
  ['PATCH', '/api/user/profile', { name: 'Changed Cross-Site' }],
  ['POST', '/api/user/profile/image', { contentType: 'image/png', fileSize: 10 }],
  ['DELETE', '/api/user/profile/image'],
  ['POST', '/api/user/profile/image/confirm'],
  ['POST', `/api/user/profile/image/versions/${id}/restore`],
  ['DELETE', `/api/user/profile/image/versions/${id}`],
  ['POST', '/api/uploads/pre-signed-url', { filename: 'a.txt', contentType: 'text/plain', fileSize: 1 }],
  ['POST', `/api/uploads/${id}/complete`],
  ['DELETE', `/api/uploads/${id}`],
  ['POST', '/api/uploads/download-urls', { ids: [id] }],
  ['POST', '/api/uploads/multipart', { filename: 'a.bin', contentType: 'application/octet-stream', fileSize: 20 * 1024 * 1024 }],
  ['POST', `/api/uploads/multipart/${id}/complete`],
  ['POST', `/api/uploads/multipart/${id}/parts`, { partNumbers: [1] }],
  ['PUT', `/api/uploads/multipart/${id}/parts`, { parts: [{ partNumber: 1, etag: '"abc"' }] }],
  ['PUT', `/api/uploads/multipart/${id}/parts/1`, { etag: '"abc"' }],
  ['DELETE', `/api/uploads/multipart/${id}`],
]

const CROSS_SITE: [string, Record<string, string>][] = [
  ['another site', { 'origin': 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
  ['another site, Origin only', { origin: 'https://evil.example' }],
  ['a sibling subdomain', { 'origin': `http://evil.localhost:${port}`, 'sec-fetch-site': 'same-site' }],
  ['the site\'s origin but a same-site fetch', { 'origin': origin, 'sec-fetch-site': 'same-site' }],
  ['an opaque origin', { origin: 'null' }],
]

describe('cross-site requests to the app\'s own API', () => {
  it.each(CROSS_SITE)('refuses every state-changing route from %s with a JSON 403, changing nothing', async (_, headers) => {
    const user = await signUp('Before')
    for (const [method, path, json] of stateChanging(randomUUID())) {
      const response = await api(path, { method, cookie: user.cookie, json, headers })
      expect(response.status, `${method} ${path}`).toBe(403)
      expect(await response.json()).toMatchObject({ statusCode: 403, message: expect.stringMatching(/cross-site/i) })
    }
    const [row] = await sql<{ name: string, image: string | null }>('select name, image from "user" where id = $1', [user.id])
    expect(row).toEqual({ name: 'Before', image: null })
    expect(await sql('select id from upload where owner_id = $1', [user.id])).toEqual([])
  })

  it('accepts the site\'s own pages, its loopback aliases and callers that are not browsers', async () => {
    const user = await signUp()
    const alias = `http://127.0.0.1:${port}`
    const browsers: Record<string, string>[] = [{ 'origin': origin, 'sec-fetch-site': 'same-origin' }, { origin: alias }, { 'sec-fetch-site': 'none' }, {}]
    for (const headers of browsers) {
      // Plain fetch, not api(), which would add the site's Origin.
      const response = await fetch(new URL('/api/user/profile', baseURL), {
        method: 'PATCH', headers: { 'cookie': user.cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'Mine' }),
      })
      expect(response.status, JSON.stringify(headers)).toBe(200)
    }
  })

  it('leaves reads alone', async () => {
    const user = await signUp()
    const response = await api('/api/user/profile', { cookie: user.cookie, headers: { 'origin': 'https://evil.example', 'sec-fetch-site': 'cross-site' } })
    expect(response.status).toBe(200)
  })
})

describe('oversized JSON bodies', () => {
  const oversized = JSON.stringify({ name: 'x'.repeat(requestConfig.maxJsonBodyBytes) })

  it('are refused with a JSON 413 from their Content-Length', async () => {
    const user = await signUp('Unchanged')
    const response = await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, headers: { 'content-type': 'application/json' }, body: oversized })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ statusCode: 413, message: expect.stringMatching(/too large/i) })
    expect((await sql<{ name: string }>('select name from "user" where id = $1', [user.id]))[0]!.name).toBe('Unchanged')
  })

  it('are refused with a JSON 413 when sent without a Content-Length', async () => {
    const user = await signUp()
    const stream = new Blob([oversized]).stream()
    const response = await api('/api/uploads/pre-signed-url', {
      method: 'POST', cookie: user.cookie, headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ statusCode: 413 })
  })

  it('are refused on Better Auth\'s routes too', async () => {
    const response = await api('/api/auth/sign-in/email', {
      method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() }, body: oversized,
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ statusCode: 413 })
  })
})

describe('rate limits', () => {
  it('PATCH /api/user/profile answers the 61st change in a minute with 429 + Retry-After', () => inOneLimiterWindow(async () => {
    const user = await signUp()
    for (let i = 0; i < 60; i++) {
      expect((await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, json: { name: `Name ${i}` } })).status).toBe(200)
    }
    const over = await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, json: { name: 'One Too Many' } })
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('60')
    expect(await over.json()).toMatchObject({ statusCode: 429 })
    expect((await sql<{ name: string }>('select name from "user" where id = $1', [user.id]))[0]!.name).toBe('Name 59')
  }), 180_000) // room for one more run when the first crossed a window boundary

  it('sign-in\'s 429 carries Retry-After', async () => {
    const ip = randomClientIp()
    const signIn = () => api('/api/auth/sign-in/email', {
      method: 'POST', headers: { 'cf-connecting-ip': ip }, json: { email: `nobody-${randomUUID()}@example.com`, password: 'wrong-password-here' },
    })
    let response = await signIn()
    for (let i = 0; i < 10 && response.status !== 429; i++) response = await signIn()
    expect(response.status).toBe(429)
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(await response.json()).toMatchObject({ statusCode: 429 })
  })
})
