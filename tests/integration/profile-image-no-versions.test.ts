import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import pg from 'pg'
import { freePort } from '../../scripts/embedded-db.mjs'
import { startTestServer } from '../support/test-server.mjs'
import { randomClientIp } from '../support/api'
import { makePng } from '../support/png'
import { signedUploadHeaders, type SignedUpload } from '../support/storage'

// keepVersions 0 (PROFILE_IMAGE_KEEP_VERSIONS=0): today's pure overwrite. A worker of its own, since the shared one
// runs with the default (5).
const PORT = await freePort()
const origin = `http://localhost:${PORT}`
let server: Awaited<ReturnType<typeof startTestServer>>

beforeAll(async () => {
  server = await startTestServer({ port: PORT, postgresUrl: inject('postgresUrl'), fresh: true, stdio: 'ignore', vars: { PROFILE_IMAGE_KEEP_VERSIONS: '0' } })
})

afterAll(async () => {
  await server?.stop()
})

async function signUp() {
  const response = await fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'origin': origin, 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() },
    body: JSON.stringify({ name: 'No history', email: `nv-${crypto.randomUUID()}@example.com`, password: 'correct-horse-battery' }),
  })
  expect(response.status).toBe(200)
  return response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
}

async function upload(cookie: string, bytes: Uint8Array<ArrayBuffer>) {
  const response = await fetch(`${origin}/api/user/profile/image`, {
    method: 'POST', headers: { cookie, 'origin': origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: bytes.length }),
  })
  expect(response.status).toBe(200)
  const signed = await response.json() as SignedUpload
  expect((await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body: bytes })).status).toBe(200)
}

describe('keepVersions 0', () => {
  it('overwrites in place: no version row, an empty history', async () => {
    const cookie = await signUp()
    const images = [makePng(2, [1, 2, 3]), makePng(3, [4, 5, 6]), makePng(4, [7, 8, 9])]
    for (const bytes of images) await upload(cookie, bytes)

    const shown = await (await fetch(`${origin}/api/user/profile/image`, { headers: { cookie } })).json() as { downloadUrl: string }
    expect(Buffer.from(await (await fetch(shown.downloadUrl)).arrayBuffer()).equals(images[2]!)).toBe(true)
    const list = await fetch(`${origin}/api/user/profile/image/versions`, { headers: { cookie } })
    expect(list.status).toBe(200)
    expect(await list.json()).toMatchObject({ items: [], keepVersions: 0 })

    const client = new pg.Client({ connectionString: server.databaseUrl })
    await client.connect()
    try {
      expect((await client.query('select count(*)::int as n from profile_image_version')).rows[0].n).toBe(0)
    }
    finally {
      await client.end()
    }
  })

  it('confirm refuses non-image bytes with nothing to go back to: the object is deleted, no broken image shows', async () => {
    const cookie = await signUp()
    await upload(cookie, makePng(2, [1, 1, 1]))
    await upload(cookie, new Uint8Array(Buffer.from('not an image, just text')))
    const response = await fetch(`${origin}/api/user/profile/image/confirm`, { method: 'POST', headers: { cookie, origin } })
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ statusCode: 422, message: 'That file is not a real PNG image, so it was removed.' })
    expect(await (await fetch(`${origin}/api/user/profile/image`, { headers: { cookie } })).json()).toEqual({ hasImage: false })
  })
})
