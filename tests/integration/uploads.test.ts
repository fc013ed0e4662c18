import { randomBytes, randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { createSigner } from '../../server/utils/r2'
import { api, baseURL, objectExists, signUp, sql, storedAt, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import { localS3Credentials, signedUploadHeaders, uploadMetadata } from '../support/storage'
import { completeUpload, putSigned, requestUpload } from '../support/uploads'

/** A file signed and PUT (200), not yet completed. */
async function uploadFile(user: TestUser, filename: string, bytes: Buffer<ArrayBuffer>, contentType = 'text/plain') {
  const signed = await requestUpload(user, { filename, contentType, fileSize: bytes.length })
  const put = await putSigned(signed, bytes)
  expect(put.status).toBe(200)
  return signed
}

/** Writes straight to the local bucket with the storage keys, to plant objects the API would never sign. */
function storage() {
  const { accessKeyId, secretAccessKey } = localS3Credentials()
  return createSigner({ accessKeyId, secretAccessKey, endpoint: `${baseURL}/cdn-cgi/local/r2/s3`, bucket: 'gallery' })
}

async function plant(key: string, bytes: Buffer<ArrayBuffer>, contentType: string, uploadedBy: string) {
  const values = { originalFilename: 'x', uploadedBy, uploadedAt: new Date().toISOString() }
  const url = await storage().presignPut({ key, contentType, contentLength: bytes.length, metadata: uploadMetadata(values) })
  const headers = signedUploadHeaders({ contentType, ...values })
  expect((await fetch(url, { method: 'PUT', headers, body: bytes })).status).toBe(200)
}

describe('POST /api/uploads/pre-signed-url', () => {
  // Each test asks for URLs of its own and reads them back by id: one user for all (well under the upload URL limit).
  let user: TestUser
  beforeAll(async () => {
    user = await signUp()
  })

  it('records a pending upload and answers the contract fields plus uploadId', async () => {
    const signed = await requestUpload(user, { filename: 'notes.txt', contentType: 'text/plain', fileSize: 12 })
    expect(Object.keys(signed).sort()).toEqual(
      ['contentType', 'expiresIn', 'fileSize', 'headers', 'key', 'originalFilename', 'presignedUrl', 'uploadId', 'uploadedAt', 'uploadedBy'])
    expect(signed).toMatchObject({ contentType: 'text/plain', fileSize: 12, expiresIn: 86400, uploadedBy: user.id, originalFilename: 'notes.txt' })
    expect(signed.key).toMatch(/^[0-9a-f-]{36}\.txt$/)
    const [row] = await sql<{ owner_id: string, key: string, status: string, declared_size: string }>(
      'select owner_id, key, status, declared_size from upload where id = $1', [signed.uploadId])
    expect(row).toEqual({ owner_id: user.id, key: signed.key, status: 'pending', declared_size: '12' })
  })

  it('gives every upload its own key, with a safe extension whatever the filename says', async () => {
    const a = await requestUpload(user, { filename: '../../x', contentType: 'application/octet-stream', fileSize: 1 })
    const b = await requestUpload(user, { filename: '../../etc/report.TAR', contentType: 'application/octet-stream', fileSize: 1 })
    expect(a.key).toMatch(/^[0-9a-f-]{36}\.bin$/)
    expect(b.key).toMatch(/^[0-9a-f-]{36}\.tar$/)
    expect(b.originalFilename).toBe('report.TAR')
    expect(a.key).not.toBe(b.key)
  })

  it.each([
    ['no filename', { contentType: 'text/plain', fileSize: 1 }],
    ['an empty filename', { filename: '  ', contentType: 'text/plain', fileSize: 1 }],
    ['a filename with CR/LF', { filename: 'a\r\nb.txt', contentType: 'text/plain', fileSize: 1 }],
    ['a type outside the policy', { filename: 'a.exe', contentType: 'application/x-msdownload', fileSize: 1 }],
    ['a zero size', { filename: 'a.txt', contentType: 'text/plain', fileSize: 0 }],
    ['a fractional size', { filename: 'a.txt', contentType: 'text/plain', fileSize: 1.5 }],
    ['a size over the limit', { filename: 'a.txt', contentType: 'text/plain', fileSize: 100 * 1024 * 1024 + 1 }],
  ])('refuses %s with a JSON 400', async (_label, body) => {
    const response = await api('/api/uploads/pre-signed-url', { method: 'POST', cookie: user.cookie, json: body })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.any(String) })
  })

  it('needs a session', async () => {
    const response = await api('/api/uploads/pre-signed-url', { method: 'POST', json: { filename: 'a.txt', contentType: 'text/plain', fileSize: 1 } })
    expect(response.status).toBe(401)
  })
})

describe('POST /api/uploads/:id/complete', () => {
  // The tests down to the image ones act on an upload of their own, by id: they share one user.
  let user: TestUser
  beforeAll(async () => {
    user = await signUp()
  })

  it('commits an upload whose object matches, idempotently', async () => {
    const signed = await uploadFile(user, 'a.txt', Buffer.from('hello world'))
    const first = await completeUpload(user, signed.uploadId)
    expect(first.status).toBe(200)
    const view = await first.json()
    expect(view).toMatchObject({ id: signed.uploadId, filename: 'a.txt', size: 11, status: 'committed' })
    const again = await completeUpload(user, signed.uploadId)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(view)
  })

  it('answers 404 while the object has not reached storage', async () => {
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 })
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(404)
    expect((await response.json()).message).toMatch(/not reached storage/)
  })

  it('refuses with 409 when the stored size differs', async () => {
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 })
    await plant(signed.key, Buffer.from('123456'), 'text/plain', user.id)
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(409)
    expect((await response.json()).message).toMatch(/size 6 differs from the declared 5/)
    const [row] = await sql<{ status: string }>('select status from upload where id = $1', [signed.uploadId])
    expect(row!.status).toBe('pending')
  })

  it('refuses with 409 when the stored content type differs', async () => {
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 })
    await plant(signed.key, Buffer.from('12345'), 'text/html', user.id)
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(409)
    expect((await response.json()).message).toMatch(/content type text\/html differs/)
  })

  it('refuses with 409 when the object was not uploaded by the owner', async () => {
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 })
    await plant(signed.key, Buffer.from('12345'), 'text/plain', 'someone-else')
    expect((await completeUpload(user, signed.uploadId)).status).toBe(409)
  })

  it('refuses with 409 and discards the object when an image upload holds no such image, listing nothing', async () => {
    const user = await signUp()
    const text = Buffer.from('these are notes, not a picture\n')
    const signed = await uploadFile(user, 'notes.png', text, 'image/png')
    expect(await objectExists(signed.key)).toBe(true)
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(409)
    expect(await response.json()).toMatchObject({ statusCode: 409, message: expect.stringMatching(/not a valid PNG image/) })
    expect(await objectExists(signed.key)).toBe(false)
    const [row] = await sql<{ status: string }>('select status from upload where id = $1', [signed.uploadId])
    expect(row!.status).toBe('pending')
    expect((await (await api('/api/uploads', { cookie: user.cookie })).json()).items).toEqual([])
    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(404)

    // Bytes of another image type under a signed image type are refused the same way.
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')
    const renamed = await uploadFile(user, 'really-a-gif.png', gif, 'image/png')
    expect((await completeUpload(user, renamed.uploadId)).status).toBe(409)
    expect(await objectExists(renamed.key)).toBe(false)
  })

  it('commits a real image, and a same-URL PUT of the right bytes completes after a refused one', async () => {
    const user = await signUp()
    const png = makePng(8, [10, 200, 30])
    const signed = await uploadFile(user, 'dot.png', png, 'image/png')
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: signed.uploadId, contentType: 'image/png', size: png.length, status: 'committed' })
    expect(await objectExists(signed.key)).toBe(true)
    expect((await (await api('/api/uploads', { cookie: user.cookie })).json()).items).toEqual([expect.objectContaining({ id: signed.uploadId })])

    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    const fake = Buffer.alloc(svg.length, 'x')
    const retried = await uploadFile(user, 'drawing.svg', fake, 'image/svg+xml')
    expect((await completeUpload(user, retried.uploadId)).status).toBe(409)
    const put = await putSigned(retried, svg)
    expect(put.status).toBe(200)
    expect((await completeUpload(user, retried.uploadId)).status).toBe(200)
  })

  it('answers 410 once the upload has been abandoned past the cleanup cutoff', async () => {
    const user = await signUp()
    const signed = await uploadFile(user, 'late.txt', Buffer.from('late'))
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    const response = await completeUpload(user, signed.uploadId)
    expect(response.status).toBe(410)
    expect(await sql('select status from upload where id = $1', [signed.uploadId])).toEqual([{ status: 'pending' }])
  })

  it('answers 404 for another user\'s upload and for a malformed id', async () => {
    const owner = await signUp()
    const other = await signUp()
    const signed = await uploadFile(owner, 'a.txt', Buffer.from('abc'))
    expect((await completeUpload(other, signed.uploadId)).status).toBe(404)
    expect((await completeUpload(owner, 'not-a-uuid')).status).toBe(404)
    const [row] = await sql<{ status: string }>('select status from upload where id = $1', [signed.uploadId])
    expect(row!.status).toBe('pending')
  })
})

describe('listing, download and delete', () => {
  it('lists only the owner\'s committed uploads, newest first, a page at a time', async () => {
    const user = await signUp()
    const other = await signUp()
    const ids: string[] = []
    for (const name of ['one.txt', 'two.txt', 'three.txt']) {
      const signed = await uploadFile(user, name, Buffer.from(name))
      expect((await completeUpload(user, signed.uploadId)).status).toBe(200)
      ids.push(signed.uploadId)
    }
    await requestUpload(user, { filename: 'pending.txt', contentType: 'text/plain', fileSize: 3 })
    const otherUpload = await uploadFile(other, 'theirs.txt', Buffer.from('x'))
    await completeUpload(other, otherUpload.uploadId)

    const firstPage = await (await api('/api/uploads?limit=2', { cookie: user.cookie })).json()
    expect(firstPage.items.map((item: { filename: string }) => item.filename)).toEqual(['three.txt', 'two.txt'])
    expect(firstPage.nextOffset).toBe(2)
    const secondPage = await (await api('/api/uploads?limit=2&offset=2', { cookie: user.cookie })).json()
    expect(secondPage).toEqual({ items: [expect.objectContaining({ id: ids[0], filename: 'one.txt' })], nextOffset: null })

    expect((await api('/api/uploads?limit=0', { cookie: user.cookie })).status).toBe(400)
    expect((await api('/api/uploads?limit=abc', { cookie: user.cookie })).status).toBe(400)
  })

  it('signs an attachment download for the owner only, serving the exact bytes', async () => {
    const user = await signUp()
    const other = await signUp()
    const bytes = randomBytes(2048)
    const signed = await uploadFile(user, 'page é.html', bytes, 'text/html')
    await completeUpload(user, signed.uploadId)

    const response = await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })
    expect(response.status).toBe(200)
    const { downloadUrl, filename, expiresIn } = await response.json()
    expect({ filename, expiresIn }).toEqual({ filename: 'page é.html', expiresIn: 3600 })
    expect(new URL(downloadUrl).searchParams.get('response-content-disposition')).toMatch(/^attachment; /)
    const download = await fetch(downloadUrl)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true)
    // R2 answers with that Content-Disposition; the local S3 endpoint ignores response-* overrides, so only the
    // signed parameter can be checked here.

    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: other.cookie })).status).toBe(404)
  })

  it('refuses a download URL for a pending upload', async () => {
    const user = await signUp()
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 3 })
    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(404)
  })

  it('deletes the object for the owner (row kept as a tombstone while the URL lives); another user gets 404', async () => {
    const user = await signUp()
    const other = await signUp()
    const signed = await uploadFile(user, 'a.txt', Buffer.from('abc'))
    await completeUpload(user, signed.uploadId)

    expect((await api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: other.cookie })).status).toBe(404)
    expect(await objectExists(signed.key)).toBe(true)

    expect((await api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await objectExists(signed.key)).toBe(false)
    expect(await sql('select status from upload where id = $1', [signed.uploadId])).toEqual([{ status: 'deleted' }])
    expect((await (await api('/api/uploads', { cookie: user.cookie })).json()).items).toEqual([])
    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(404)
    expect((await api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(404)
  })

  it('removes the row outright when its URL has long expired', async () => {
    const user = await signUp()
    const signed = await uploadFile(user, 'old.txt', Buffer.from('old'))
    await completeUpload(user, signed.uploadId)
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    expect((await api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await sql('select id from upload where id = $1', [signed.uploadId])).toHaveLength(0)
    expect(await objectExists(signed.key)).toBe(false)
  })
})

describe('orphan cleanup (the cron task, run through wrangler dev --test-scheduled)', () => {
  it('removes stale pending rows and their objects, keeps fresh pending and committed uploads', async () => {
    const user = await signUp()
    const staleWithObject = await uploadFile(user, 'stale.txt', Buffer.from('stale'))
    const staleWithoutObject = await requestUpload(user, { filename: 'never.txt', contentType: 'text/plain', fileSize: 3 })
    const fresh = await uploadFile(user, 'fresh.txt', Buffer.from('fresh'))
    const committed = await uploadFile(user, 'kept.txt', Buffer.from('kept'))
    expect((await completeUpload(user, committed.uploadId)).status).toBe(200)
    // Deleted while its URL still lived, then sent again through that URL: the key's tombstone refuses it.
    const deletedThenRewritten = await uploadFile(user, 'ghost.txt', Buffer.from('ghost'))
    expect((await api(`/api/uploads/${deletedThenRewritten.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect((await putSigned(deletedThenRewritten, Buffer.from('ghost'))).status).toBe(412)
    expect(await storedAt(deletedThenRewritten.key)).toEqual({ kind: 'tombstone', reason: 'deleted' })
    // Age them past their URL's expiry plus the margin (the committed one too: status must protect it).
    await sql(`update upload set created_at = now() - interval '3 days', expires_at = now() - interval '2 days' where id = any($1)`,
      [[staleWithObject.uploadId, staleWithoutObject.uploadId, committed.uploadId, deletedThenRewritten.uploadId]])

    const response = await fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent('17 * * * *')}`)
    expect(response.status).toBe(200)

    await expect.poll(async () => (await sql('select id from upload where id = any($1)',
      [[staleWithObject.uploadId, staleWithoutObject.uploadId, deletedThenRewritten.uploadId]])).length, { timeout: 10_000 }).toBe(0)
    expect(await objectExists(staleWithObject.key)).toBe(false)
    expect(await storedAt(deletedThenRewritten.key)).toBeNull()
    const remaining = await sql<{ id: string, status: string }>('select id, status from upload where id = any($1) order by status',
      [[fresh.uploadId, committed.uploadId]])
    expect(remaining).toEqual([{ id: committed.uploadId, status: 'committed' }, { id: fresh.uploadId, status: 'pending' }])
    expect(await objectExists(fresh.key)).toBe(true)
    expect(await objectExists(committed.key)).toBe(true)
  })

  // Kept in this file with the other cron run: the cleanup sweeps the whole database, so a run from a file executing
  // in parallel could remove the aged rows other tests here still look at.
  it('works through a backlog of many batches in one run, objects and failed-delete tombstones included', async () => {
    const user = await signUp()
    // More than the 20 batches a run was once capped at, and not a whole number of batches.
    const count = Math.floor(25.5 * uploadsConfig.cleanupBatchSize)
    const prefix = `backlog-${randomUUID()}-`
    // Every tenth a tombstone, as a DELETE leaves one when its object delete fails.
    await sql(`insert into upload (id, owner_id, key, original_filename, content_type, declared_size, status, created_at, expires_at)
      select gen_random_uuid()::text, $1, $2 || n || '.txt', 'seeded.txt', 'text/plain', 4,
        case when n % 10 = 0 then 'deleted' else 'pending' end, now() - interval '3 days', now() - interval '2 days'
      from generate_series(1, $3) as n`, [user.id, prefix, count])
    const withObjects = [1, 2, 10, 20, count - 1, count].map(n => `${prefix}${n}.txt`)
    for (const key of withObjects) await plant(key, Buffer.from('seed'), 'text/plain', user.id)
    const fresh = await uploadFile(user, 'fresh.txt', Buffer.from('fresh'))

    const response = await fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent(uploadsConfig.cleanupCron)}`)
    expect(response.status).toBe(200)

    const left = async () => Number((await sql<{ n: string }>('select count(*) as n from upload where key like $1', [`${prefix}%`]))[0]!.n)
    await expect.poll(left, { timeout: 45_000, interval: 250 }).toBe(0)
    for (const key of withObjects) expect(await objectExists(key)).toBe(false)
    expect(await sql('select status from upload where owner_id = $1', [user.id])).toEqual([{ status: 'pending' }])
    expect(await objectExists(fresh.key)).toBe(true)
  })
})
