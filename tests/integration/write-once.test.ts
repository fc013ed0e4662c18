import { describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { api, baseURL, objectExists, signUp, sql, storedAt, updatedCookie, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import { signedUploadHeaders, type SignedUpload } from '../support/storage'
import { committedUpload, completeUpload, putSigned, requestProfileUpload, requestUpload } from '../support/uploads'

// An upload URL's power ends where the app's checks end: every URL writes its key once, a delete leaves a tombstone
// that earlier URLs cannot write over, and the profile image's bytes are checked by the server itself.

const MiB = 1024 * 1024
const html = Buffer.from('<html><script>alert(document.cookie)</script></html>\n')

const signGeneric = (user: TestUser, filename: string, bytes: Uint8Array, contentType = 'text/plain') =>
  requestUpload(user, { filename, contentType, fileSize: bytes.length })
const signProfile = (user: TestUser, bytes: Uint8Array, originalFilename = 'me.png') =>
  requestProfileUpload(user, { contentType: 'image/png', fileSize: bytes.length, originalFilename })
const put = (signed: SignedUpload, body: Uint8Array<ArrayBuffer>, headers = signedUploadHeaders(signed)) => putSigned(signed, body, { headers })

async function status(response: Promise<Response>) {
  const answered = await response
  await answered.arrayBuffer()
  return answered.status
}

const usage = async (user: TestUser) => (await (await api('/api/uploads/usage', { cookie: user.cookie })).json()) as { usedBytes: number, pendingCount: number }
const profileImage = async (user: TestUser) => (await api('/api/user/profile/image', { cookie: user.cookie })).json()
const runCleanup = async () => expect(await status(fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent(uploadsConfig.cleanupCron)}`))).toBe(200)

async function bytesAt(url: string) {
  const response = await fetch(url)
  return { status: response.status, tombstone: response.headers.get('x-amz-meta-tombstone'), bytes: Buffer.from(await response.arrayBuffer()) }
}

describe('write-once upload URLs', () => {
  it('answer the exact headers to send, the write condition among them, and write their key once', async () => {
    const user = await signUp()
    const png = makePng(4, [1, 2, 3])
    const signed = await signGeneric(user, 'dot.png', png, 'image/png')
    expect(signed.headers).toEqual({
      'Content-Type': 'image/png',
      'x-amz-meta-original-filename': 'dot.png',
      'x-amz-meta-uploaded-by': user.id,
      'x-amz-meta-uploaded-at': signed.uploadedAt,
      'If-None-Match': '*',
    })
    expect(new URL(signed.presignedUrl).searchParams.get('X-Amz-SignedHeaders')).toContain('if-none-match')
    // The condition is signed: leaving it out is a signature mismatch.
    const { 'If-None-Match': _, ...unconditional } = signed.headers
    expect(await status(put(signed, png, unconditional))).toBe(403)

    expect(await status(put(signed, png))).toBe(200)
    expect(await status(completeUpload(user, signed.uploadId))).toBe(200)
    // The same URL cannot swap the checked bytes for a page of script of the same (signed) size afterwards.
    const swapped = Buffer.alloc(png.length, 0x20)
    expect(html.copy(swapped)).toBe(html.length)
    const swap = await put(signed, swapped)
    expect(swap.status).toBe(412)
    expect(await swap.text()).toContain('PreconditionFailed')
    const { downloadUrl } = await (await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).json()
    expect((await bytesAt(downloadUrl)).bytes.equals(png)).toBe(true)
  })

  it('make a retry whose first answer was lost meet a refusal, and /complete commits the first PUT', async () => {
    const user = await signUp()
    const bytes = Buffer.from('sent once, answer lost')
    const signed = await signGeneric(user, 'once.txt', bytes)
    expect(await status(put(signed, bytes))).toBe(200)
    expect(await status(put(signed, bytes))).toBe(412)
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: signed.uploadId, status: 'committed', size: bytes.length })
  })

  it('sign the profile image for the ETag its key holds: one write per URL, and none after another upload', async () => {
    const user = await signUp()
    const first = makePng(3, [10, 10, 10])
    const initial = await signProfile(user, first)
    expect(initial.headers['If-None-Match']).toBe('*')
    expect(await status(put(initial, first))).toBe(200)
    expect(await status(put(initial, first))).toBe(412)

    const second = makePng(5, [20, 20, 20])
    const next = await signProfile(user, second)
    const stale = await signProfile(user, second)
    expect(next.headers['If-Match']).toMatch(/^"[0-9a-f-]+"$/)
    expect(await status(put(next, second))).toBe(200)
    // Signed for the bytes the key held before `next` wrote: refused.
    expect(await status(put(stale, makePng(5, [30, 30, 30])))).toBe(412)
    const shown = await profileImage(user)
    expect((await bytesAt(shown.downloadUrl)).bytes.equals(second)).toBe(true)
  })
})

describe('deletes with no way back', () => {
  it('a committed upload: its upload URL cannot put it back, its earlier download URL reads nothing', async () => {
    const user = await signUp()
    const bytes = Buffer.from('a file that is deleted for good')
    const signed = await committedUpload(user, 'gone.txt', bytes)
    const { downloadUrl } = await (await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).json()
    const before = await usage(user)

    expect(await status(api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await status(put(signed, bytes))).toBe(412)
    expect(await storedAt(signed.key)).toEqual({ kind: 'tombstone', reason: 'deleted' })
    const earlier = await bytesAt(downloadUrl)
    expect(earlier).toMatchObject({ status: 200, tombstone: 'deleted' })
    expect(earlier.bytes.length).toBe(1)
    expect((await usage(user)).usedBytes).toBe(before.usedBytes - bytes.length)
  })

  it('a pending upload: signed, deleted, then sent — refused, nothing stored, nothing counted', async () => {
    const user = await signUp()
    const bytes = Buffer.alloc(2 * MiB, 7)
    const signed = await signGeneric(user, 'big.bin', bytes, 'application/octet-stream')
    expect((await usage(user)).usedBytes).toBe(bytes.length)

    expect(await status(api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await usage(user)).toMatchObject({ usedBytes: 0, pendingCount: 0 })
    expect(await status(put(signed, bytes))).toBe(412)
    expect(await objectExists(signed.key)).toBe(false)
    expect(await status(completeUpload(user, signed.uploadId))).toBe(404)
  })

  it('the cleanup removes the tombstone once the URL can no longer be used, with its row', async () => {
    const user = await signUp()
    const signed = await committedUpload(user, 'later.txt', Buffer.from('later'))
    expect(await status(api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect((await storedAt(signed.key))?.kind).toBe('tombstone')
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    await runCleanup()
    await expect.poll(() => storedAt(signed.key), { timeout: 30_000 }).toBeNull()
    expect(await sql('select id from upload where id = $1', [signed.uploadId])).toHaveLength(0)
  })

  it('the profile image: an upload URL issued before the removal cannot put it back, nor a download URL read it', async () => {
    const user = await signUp()
    const image = makePng(3, [9, 9, 9])
    expect(await status(put(await signProfile(user, image), image))).toBe(200)
    const stale = await signProfile(user, image)
    const { downloadUrl } = await profileImage(user)

    expect(await status(api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await status(put(stale, image))).toBe(412)
    expect(await storedAt(stale.key)).toEqual({ kind: 'tombstone', reason: 'removed' })
    expect(await bytesAt(downloadUrl)).toMatchObject({ tombstone: 'removed', bytes: Buffer.from('\n') })
    expect(await profileImage(user)).toEqual({ hasImage: false })

    // A URL issued after the removal sets a new image.
    const next = makePng(6, [4, 4, 4])
    expect(await status(put(await signProfile(user, next), next))).toBe(200)
    expect((await bytesAt((await profileImage(user)).downloadUrl)).bytes.equals(next)).toBe(true)
  })
})

describe('profile bytes checked by the server', () => {
  it('junk PUT as a PNG without /confirm is never served, kept as a version or restored', async () => {
    const user = await signUp()
    const real = makePng(4, [50, 60, 70])
    expect(await status(put(await signProfile(user, real, 'real.png'), real))).toBe(200)
    expect(await status(api('/api/user/profile/image/confirm', { method: 'POST', cookie: user.cookie }))).toBe(200)

    const junk = Buffer.alloc(real.length, 0x41)
    const signed = await signProfile(user, junk, 'junk.png') // keeps real.png as a version
    expect(await status(put(signed, junk))).toBe(200)

    expect(await profileImage(user)).toEqual({ hasImage: false })
    expect(await storedAt(signed.key)).toEqual({ kind: 'tombstone', reason: 'removed' })
    // The next presign finds nothing to keep: the history holds the real image only.
    const again = await signProfile(user, real, 'again.png')
    const versions = await (await api('/api/user/profile/image/versions', { cookie: user.cookie })).json()
    expect(versions.items.map((version: { filename: string }) => version.filename)).toEqual(['real.png'])

    // Junk again, then a failed /confirm: the previous real image comes back, never the junk.
    expect(await status(put(again, junk))).toBe(200)
    const confirm = await api('/api/user/profile/image/confirm', { method: 'POST', cookie: user.cookie })
    expect(confirm.status).toBe(422)
    const shown = await profileImage(user)
    expect(shown.hasImage).toBe(true)
    expect((await bytesAt(shown.downloadUrl)).bytes.equals(real)).toBe(true)
  })
})

describe('account deletion ends every capability', () => {
  const password = 'correct-horse-battery'
  const deleteAccount = (user: TestUser) => api('/api/auth/delete-user', { method: 'POST', cookie: user.cookie, json: { password } })

  it('aborts open multipart uploads: a part signed before the deletion is refused after it', async () => {
    const user = await signUp()
    const created = await api('/api/uploads/multipart', { method: 'POST', cookie: user.cookie, json: { filename: 'big.iso', contentType: 'application/octet-stream', fileSize: 70 * MiB } })
    expect(created.status, await created.clone().text()).toBe(200)
    const upload = await created.json() as { id: string, key: string, partSize: number }
    const signing = await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'POST', cookie: user.cookie, json: { partNumbers: [1, 2] } })
    const [first, second] = (await signing.json() as { parts: { url: string, size: number }[] }).parts
    expect(await status(fetch(first!.url, { method: 'PUT', body: Buffer.alloc(first!.size, 1) }))).toBe(200)

    expect(await status(deleteAccount(user))).toBe(200)
    expect(await status(fetch(second!.url, { method: 'PUT', body: Buffer.alloc(second!.size, 2) }))).toBe(404)
    // Recorded with the account's other keys, its abort done.
    expect(await sql('select tombstone, multipart_id from orphaned_object where key = $1', [upload.key])).toEqual([{ tombstone: false, multipart_id: null }])
  })

  it('the cleanup retries an abort that failed at the deletion, then drops the record', async () => {
    const user = await signUp()
    const created = await api('/api/uploads/multipart', { method: 'POST', cookie: user.cookie, json: { filename: 'stuck.iso', contentType: 'application/octet-stream', fileSize: 70 * MiB } })
    const upload = await created.json() as { id: string, key: string }
    const signing = await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'POST', cookie: user.cookie, json: { partNumbers: [1] } })
    const [part] = (await signing.json() as { parts: { url: string, size: number }[] }).parts
    // As an account deletion leaves it when storage refused the abort: the row gone, the record holding the upload id.
    await sql(`insert into orphaned_object (key, delete_again_until, tombstone, multipart_id)
      select key, now() - interval '1 day', false, multipart_id from upload where id = $1`, [upload.id])
    await sql('delete from upload where id = $1', [upload.id])

    await runCleanup()
    await expect.poll(async () => (await sql('select key from orphaned_object where key = $1', [upload.key])).length, { timeout: 30_000 }).toBe(0)
    expect(await status(fetch(part!.url, { method: 'PUT', body: Buffer.alloc(part!.size, 3) }))).toBe(404)
  })

  it('another device still inside the session cookie cache gets a 4xx from every route that would store or change', async () => {
    const user = await signUp()
    const image = makePng(3, [5, 5, 5])
    const signing = await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: { contentType: 'image/png', fileSize: image.length } })
    const profile = await signing.json() as SignedUpload
    expect(await status(put(profile, image))).toBe(200)
    const pending = await signGeneric(user, 'late.txt', Buffer.from('late'))
    // The other device: the cookies as they stand now, the session cache carrying the profile-image key.
    const otherDevice = { ...user, cookie: updatedCookie(user.cookie, signing) }

    expect(await status(deleteAccount(user))).toBe(200)

    const attempts: [string, RequestInit & { json?: unknown }][] = [
      ['/api/user/profile/image', { method: 'POST', json: { contentType: 'image/png', fileSize: 10 } }],
      ['/api/user/profile/image', { method: 'GET' }],
      ['/api/user/profile/image', { method: 'DELETE' }],
      ['/api/user/profile/image/confirm', { method: 'POST' }],
      ['/api/uploads/pre-signed-url', { method: 'POST', json: { filename: 'x.txt', contentType: 'text/plain', fileSize: 3 } }],
      ['/api/uploads/multipart', { method: 'POST', json: { filename: 'x.bin', contentType: 'application/octet-stream', fileSize: 70 * MiB } }],
      [`/api/uploads/${pending.uploadId}/complete`, { method: 'POST' }],
      ['/api/user/profile', { method: 'PATCH', json: { name: 'Still here?' } }],
    ]
    for (const [path, init] of attempts) {
      const response = await api(path, { ...init, cookie: otherDevice.cookie })
      const body = await response.json()
      expect(response.status, `${init.method} ${path}: ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400)
      expect(response.status, `${init.method} ${path}`).toBeLessThan(500)
      expect(body).toMatchObject({ statusCode: response.status, message: expect.any(String) })
    }
    // Nothing can be stored: the profile key holds the account's tombstone against every URL signed before.
    expect(await status(put(profile, image))).toBe(412)
    expect(await status(put(pending, Buffer.from('late')))).toBe(412)
    expect(await storedAt(profile.key)).toEqual({ kind: 'tombstone', reason: 'account-deleted' })
    expect(await objectExists(pending.key)).toBe(false)
  })
})
