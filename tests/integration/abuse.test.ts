import { describe, expect, it } from 'vitest'
import { api, baseURL, signUp, sql, storageEndpoint } from '../support/api'
import { makePng } from '../support/png'
import { inOneLimiterWindow } from '../support/rate-limit'
import type { SignedUpload } from '../support/storage'
import { putSigned } from '../support/uploads'

const uploadBody = { contentType: 'image/png', fileSize: 10 }

describe('rate limits on URL issuance (Workers Rate Limiting binding, per user)', () => {
  it('answers the 31st upload URL in a minute with 429 + Retry-After; other users are unaffected', () => inOneLimiterWindow(async () => {
    const greedy = await signUp()
    const bystander = await signUp()
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      statuses.push((await api('/api/user/profile/image', { method: 'POST', cookie: greedy.cookie, json: uploadBody })).status)
    }
    expect(statuses.every(status => status === 200)).toBe(true)

    const over = await api('/api/uploads/pre-signed-url', { method: 'POST', cookie: greedy.cookie, json: { filename: 'a.txt', contentType: 'text/plain', fileSize: 1 } })
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('60')
    expect(await over.json()).toMatchObject({ statusCode: 429, message: expect.stringMatching(/try again in 60 seconds/i) })

    expect((await api('/api/user/profile/image', { method: 'POST', cookie: bystander.cookie, json: uploadBody })).status).toBe(200)
    // Download URLs have their own budget.
    expect((await api('/api/user/profile/image', { cookie: greedy.cookie })).status).toBe(200)
    const pendingRows = await sql('select id from upload where owner_id = $1', [greedy.id])
    expect(pendingRows).toHaveLength(0) // the refused request wrote nothing
  }), 180_000) // room for one more run when the first crossed a window boundary
})

describe('audit log', () => {
  it('records every URL issued and object deleted, never the URL, and shows the user their own activity', async () => {
    const user = await signUp()
    const other = await signUp()
    const image = makePng(2, [9, 9, 9])
    const signing = await api('/api/user/profile/image', {
      method: 'POST', cookie: user.cookie, json: { contentType: 'image/png', fileSize: image.length }, headers: { 'user-agent': 'audit-test/1.0' },
    })
    const signed = await signing.json() as SignedUpload
    expect((await putSigned(signed, image)).status).toBe(200)
    expect((await api('/api/user/profile/image', { cookie: user.cookie })).status).toBe(200)
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)

    // The audit queue writes a batch within about a second, later on a busy machine.
    await expect.poll(async () => (await sql('select id from presign_event where user_id = $1', [user.id])).length, { timeout: 30_000 }).toBe(3)
    const rows = await sql<Record<string, unknown>>('select * from presign_event where user_id = $1 order by id', [user.id])
    expect(rows.map(row => [row.action, row.key])).toEqual([['put', signed.key], ['get', signed.key], ['delete', signed.key]])
    expect(rows[0]).toMatchObject({ content_type: 'image/png', size: String(image.length), user_agent: 'audit-test/1.0' })
    expect(JSON.stringify(rows)).not.toMatch(/X-Amz-Signature|X-Amz-Credential|cdn-cgi/)

    const activity = await (await api('/api/user/activity', { cookie: user.cookie })).json()
    expect(activity.items.map((item: { action: string }) => item.action)).toEqual(['delete', 'get', 'put'])
    expect((await (await api('/api/user/activity', { cookie: other.cookie })).json()).items).toEqual([])
  })
})

describe('security headers', () => {
  it('sends a CSP limited to self (and the storage origin), nosniff, no framing, no referrer on pages', async () => {
    const response = await api('/login')
    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy')!
    const directive = (name: string) => csp.split(';').map(part => part.trim()).find(part => part.startsWith(`${name} `))
    // The local storage endpoint's origin (on a free port of its own, as R2 is another origin in production).
    const storageOrigin = new URL(storageEndpoint).origin
    expect(storageOrigin).not.toBe(new URL(baseURL).origin)
    expect(directive('img-src')).toBe(`img-src 'self' ${storageOrigin} blob: data:`)
    expect(directive('connect-src')).toBe(`connect-src 'self' ${storageOrigin} blob:`)
    expect(directive('frame-ancestors')).toBe(`frame-ancestors 'none'`)
    expect(csp).not.toMatch(/\*/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('marks API responses nosniff too', async () => {
    expect((await api('/api/health')).headers.get('x-content-type-options')).toBe('nosniff')
  })
})
