import { beforeAll, describe, expect, it } from 'vitest'
import { api, randomClientIp, signUp, sql, withoutSessionCache, type TestUser } from '../support/api'
import { makePng } from '../support/png'

import { committedUpload, putProfileImage } from '../support/uploads'

// Every endpoint × every kind of stranger: no session, an expired session, another user holding the owner's ids.
// Each must be denied, and nothing may be issued or changed.

let owner: TestUser
let stranger: TestUser
let expired: TestUser
let ownerImageKey: string
let committedId: string
let pendingId: string

async function snapshot() {
  const [counts] = await sql<{ events: string, uploads: string, committed: string, image: string | null, name: string }>(`
    select (select count(*) from presign_event where user_id = any($2)) as events,
           (select count(*) from upload where owner_id = $1) as uploads,
           (select count(*) from upload where owner_id = $1 and status = 'committed') as committed,
           (select image from "user" where id = $1) as image,
           (select name from "user" where id = $1) as name`, [owner.id, [owner.id, stranger.id, expired.id]])
  return counts
}

beforeAll(async () => {
  [owner, stranger, expired] = await Promise.all([signUp('Owner'), signUp('Stranger'), signUp('Expired')])
  const image = makePng(2, [1, 2, 3])
  ownerImageKey = (await putProfileImage(owner, image)).key

  const file = Buffer.from('private')
  committedId = (await committedUpload(owner, 'p.txt', file)).uploadId
  pendingId = (await (await api('/api/uploads/pre-signed-url', { method: 'POST', cookie: owner.cookie, json: { filename: 'q.txt', contentType: 'text/plain', fileSize: 1 } })).json()).uploadId

  await sql(`update session set expires_at = now() - interval '1 minute' where user_id = $1`, [expired.id])
  // Audit rows land after the responses: wait for them, so the snapshots compare settled states.
  for (let tries = 0; (await sql('select id from presign_event where user_id = $1', [owner.id])).length < 3; tries++) {
    if (tries > 300) throw new Error('audit rows for the setup never arrived') // they come through the audit queue
    await new Promise(resolve => setTimeout(resolve, 100))
  }
})

/**
 * A snapshot taken once nothing has changed for longer than the audit queue holds a batch (max_batch_timeout 1 s in
 * wrangler.jsonc): late audit writes would show up here.
 */
async function settledSnapshot() {
  let previous = await snapshot()
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, 1500))
    const current = await snapshot()
    if (JSON.stringify(current) === JSON.stringify(previous)) return current
    previous = current
  }
}

const ownerScoped = () => [
  { method: 'POST', path: `/api/uploads/${committedId}/complete` },
  { method: 'POST', path: `/api/uploads/${pendingId}/complete` },
  { method: 'GET', path: `/api/uploads/${committedId}/download-url` },
  { method: 'DELETE', path: `/api/uploads/${committedId}` },
  { method: 'DELETE', path: `/api/uploads/${pendingId}` },
]
const sessionOnly = [
  { method: 'POST', path: '/api/user/profile/image', json: { contentType: 'image/png', fileSize: 10 } },
  { method: 'GET', path: '/api/user/profile/image' },
  { method: 'DELETE', path: '/api/user/profile/image' },
  { method: 'GET', path: '/api/user/profile' },
  { method: 'PATCH', path: '/api/user/profile', json: { name: 'Taken over' } },
  { method: 'GET', path: '/api/user/activity' },
  { method: 'POST', path: '/api/uploads/pre-signed-url', json: { filename: 'a.txt', contentType: 'text/plain', fileSize: 1 } },
  { method: 'GET', path: '/api/uploads' },
  { method: 'POST', path: '/api/uploads/download-urls', json: { ids: ['00000000-0000-4000-8000-000000000000'] } },
  { method: 'POST', path: '/api/auth/update-user', json: { name: 'Taken over' } },
]

describe('authorization matrix', () => {
  it('denies every endpoint without a session or with an expired one, issuing and changing nothing', async () => {
    const before = await snapshot()
    let denials = 0
    // The session cookie cache vouches for a session for authConfig.sessionCacheSeconds without asking the
    // database; the expired session is sent as it arrives once that cache has lapsed.
    const expiredSession = withoutSessionCache(expired.cookie)
    for (const [label, cookie] of [['no session', undefined], ['expired session', expiredSession], ['forged cookie', 'better-auth.session_token=forged']] as const) {
      for (const request of [...sessionOnly, ...ownerScoped()]) {
        const response = await api(request.path, { method: request.method, cookie, json: 'json' in request ? request.json : undefined })
        expect(response.status, `${label}: ${request.method} ${request.path}`).toBe(401)
        const body = await response.json()
        expect(body.statusCode).toBe(401)
        expect(JSON.stringify(body)).not.toMatch(/X-Amz|presignedUrl|downloadUrl/)
        denials++
      }
    }
    expect(await settledSnapshot()).toEqual(before)
    console.log(`authorization: ${denials} anonymous/expired/forged requests denied`)
  })

  it('answers 404 to another user holding the owner\'s upload ids, and changes nothing', async () => {
    const before = await snapshot()
    let denials = 0
    for (const request of ownerScoped()) {
      const response = await api(request.path, { method: request.method, cookie: stranger.cookie })
      expect(response.status, `${request.method} ${request.path}`).toBe(404)
      expect(await response.json()).toMatchObject({ statusCode: 404, message: 'Upload not found' })
      denials++
    }
    // The batch signer leaves another user's ids out (a page of ids is not failed for one foreign id).
    const batch = await api('/api/uploads/download-urls', { method: 'POST', cookie: stranger.cookie, json: { ids: [committedId, pendingId] } })
    expect(batch.status).toBe(200)
    expect((await batch.json()).items).toEqual([])
    expect(await settledSnapshot()).toEqual(before)
    const [strangerEvents] = await sql<{ count: string }>('select count(*) from presign_event where user_id = $1', [stranger.id])
    expect(strangerEvents!.count).toBe('0')
    console.log(`authorization: ${denials} cross-user requests denied`)
  })

  it('never hands another user the owner\'s keys, through any listing or signing endpoint', async () => {
    const responses = await Promise.all([
      api('/api/user/profile/image', { method: 'POST', cookie: stranger.cookie, json: { contentType: 'image/png', fileSize: 10 } }),
      api('/api/user/profile/image', { cookie: stranger.cookie }),
      api('/api/uploads', { cookie: stranger.cookie }),
      api('/api/user/activity', { cookie: stranger.cookie }),
      api('/api/user/profile', { cookie: stranger.cookie }),
    ])
    const [ownerUpload] = await sql<{ key: string }>('select key from upload where id = $1', [committedId])
    for (const response of responses) {
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(text).not.toContain(ownerImageKey)
      expect(text).not.toContain(ownerUpload!.key)
      expect(text).not.toContain(owner.id)
    }
  })

  it('keeps image injection refused on Better Auth\'s endpoints and the profile route', async () => {
    // Settled first: the audit event of the previous test's own presign may still be on its way through the queue.
    const before = await settledSnapshot()
    const attempts = [
      await api('/api/auth/update-user', { method: 'POST', cookie: stranger.cookie, json: { image: ownerImageKey } }),
      await api('/api/user/profile', { method: 'PATCH', cookie: stranger.cookie, json: { name: 'x', image: ownerImageKey } }),
      await api('/api/auth/sign-up/email', {
        method: 'POST', headers: { 'cf-connecting-ip': randomClientIp() },
        json: { name: 'x', email: `inject-${Date.now()}@example.com`, password: 'correct-horse-battery', image: ownerImageKey },
      }),
    ]
    for (const response of attempts) expect(response.status).toBe(400)
    const [row] = await sql<{ image: string | null }>('select image from "user" where id = $1', [stranger.id])
    expect(row!.image).not.toBe(ownerImageKey)
    expect(await sql('select id from "user" where image = $1', [ownerImageKey])).toEqual([{ id: owner.id }])
    expect(await settledSnapshot()).toEqual(before)
  })
})
