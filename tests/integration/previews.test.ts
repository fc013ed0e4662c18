import { describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { previewPolicy } from '../../shared/utils/policy'
import { previewKeyOf } from '../../shared/utils/upload-contract'
import { api, baseURL, signUp, sql, storedAt, type TestUser } from '../support/api'
import { createSigner } from '../../server/utils/r2'
import { localS3Credentials, signedUploadHeaders, uploadMetadata } from '../support/storage'
import {
  completeMultipart, completeUpload, photoBytes, putSigned, requestUploadWithPreview, sendParts, webpBytes, type MultipartUpload,
} from '../support/uploads'

// An image upload's preview: a small WebP the browser PUTs beside the object through its own write-once URL. The
// server signs it only when asked, records it at /complete only after checking what storage holds, serves it as the
// thumbnail, and removes it with the object.

const MiB = 1024 * 1024
const PHOTO = photoBytes(300 * 1024)
const PREVIEW = webpBytes(9 * 1024)

async function status(response: Promise<Response>) {
  const answered = await response
  await answered.arrayBuffer()
  return answered.status
}

const presign = (user: TestUser, body: unknown, path = '/api/uploads/pre-signed-url') => api(path, { method: 'POST', cookie: user.cookie, json: body })
const runCleanup = async () => expect(await status(fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent(uploadsConfig.cleanupCron)}`))).toBe(200)

async function thumbnailUrls(user: TestUser, id: string) {
  const response = await api('/api/uploads/download-urls', { method: 'POST', cookie: user.cookie, json: { ids: [id] } })
  expect(response.status).toBe(200)
  const { items } = await response.json() as { items: { id: string, downloadUrl: string, thumbnailUrl: string | null }[] }
  expect(items).toHaveLength(1)
  return items[0]!
}

async function listed(user: TestUser, id: string) {
  const { items } = await (await api('/api/uploads', { cookie: user.cookie })).json() as { items: { id: string, hasPreview: boolean }[] }
  return items.find(item => item.id === id)
}

/** A photo with its preview: signed, both PUT (200) and completed (200). */
async function committedWithPreview(user: TestUser, filename = 'photo.png') {
  const signed = await requestUploadWithPreview(user, filename, PHOTO, PREVIEW)
  expect(await status(putSigned(signed, PHOTO))).toBe(200)
  expect(await status(putSigned(signed.preview, PREVIEW))).toBe(200)
  const completed = await completeUpload(user, signed.uploadId)
  expect(completed.status, await completed.clone().text()).toBe(200)
  expect(await completed.json()).toMatchObject({ id: signed.uploadId, hasPreview: true })
  return signed
}

/** Writes straight to the local bucket with the storage keys: an object the API would never have signed. */
async function plant(key: string, bytes: Buffer<ArrayBuffer>, contentType: string, uploadedBy: string) {
  const { accessKeyId, secretAccessKey } = localS3Credentials()
  const storage = createSigner({ accessKeyId, secretAccessKey, endpoint: `${baseURL}/cdn-cgi/local/r2/s3`, bucket: 'gallery' })
  const values = { originalFilename: 'x', uploadedBy, uploadedAt: new Date().toISOString() }
  const url = await storage.presignPut({ key, contentType, contentLength: bytes.length, metadata: uploadMetadata(values) })
  expect(await status(fetch(url, { method: 'PUT', headers: signedUploadHeaders({ contentType, ...values }), body: bytes }))).toBe(200)
}

describe('signing a preview', () => {
  it('answers the upload fields unchanged plus a write-once preview PUT beside the object', async () => {
    const user = await signUp()
    const signed = await requestUploadWithPreview(user, 'photo.png', PHOTO, PREVIEW)
    expect(signed).toMatchObject({ contentType: 'image/png', fileSize: PHOTO.length, uploadedBy: user.id, originalFilename: 'photo.png' })
    expect(signed.preview).toEqual({
      presignedUrl: expect.any(String),
      key: `${signed.key}.preview.webp`,
      contentType: 'image/webp',
      fileSize: PREVIEW.length,
      expiresIn: 86400,
      headers: {
        'Content-Type': 'image/webp',
        'x-amz-meta-original-filename': 'photo.png',
        'x-amz-meta-uploaded-by': user.id,
        'x-amz-meta-uploaded-at': expect.any(String),
        'If-None-Match': '*',
      },
    })
    const signedHeaders = new URL(signed.preview.presignedUrl).searchParams.get('X-Amz-SignedHeaders')
    for (const header of ['content-length', 'content-type', 'if-none-match', 'x-amz-meta-uploaded-by']) expect(signedHeaders).toContain(header)

    // Storage holds the preview to its signature: another size or type is refused, the URL writes once.
    expect(await status(putSigned(signed.preview, webpBytes(PREVIEW.length + 1)))).toBe(403)
    expect(await status(putSigned(signed.preview, PREVIEW, { headers: { ...signed.preview.headers, 'Content-Type': 'image/png' } }))).toBe(403)
    expect(await status(putSigned(signed.preview, PREVIEW))).toBe(200)
    expect(await status(putSigned(signed.preview, PREVIEW))).toBe(412)
    // The URL is for this key alone: pointed at another key, the signature fails.
    const elsewhere = signed.preview.presignedUrl.replace(signed.key, crypto.randomUUID() + '.png')
    expect(await status(putSigned(signed.preview, PREVIEW, { url: elsewhere }))).toBe(403)
  })

  it.each([
    ['a preview over the cap', { filename: 'p.png', contentType: 'image/png', fileSize: PHOTO.length, preview: { contentType: 'image/webp', fileSize: previewPolicy.maxBytes + 1 } }, /^preview\.fileSize: /],
    ['a preview that is not WebP', { filename: 'p.png', contentType: 'image/png', fileSize: PHOTO.length, preview: { contentType: 'image/png', fileSize: 100 } }, /^preview\.contentType: /],
    ['an empty preview', { filename: 'p.png', contentType: 'image/png', fileSize: PHOTO.length, preview: { contentType: 'image/webp', fileSize: 0 } }, /^preview\.fileSize: /],
    ['a preview of a file that is no image', { filename: 'a.txt', contentType: 'text/plain', fileSize: PHOTO.length, preview: { contentType: 'image/webp', fileSize: 100 } }, /^preview: only an image/],
    ['a preview of an SVG', { filename: 'a.svg', contentType: 'image/svg+xml', fileSize: PHOTO.length, preview: { contentType: 'image/webp', fileSize: 100 } }, /^preview: only an image/],
    ['a preview of an image no larger than a preview', { filename: 'p.png', contentType: 'image/png', fileSize: previewPolicy.maxBytes, preview: { contentType: 'image/webp', fileSize: 100 } }, /^preview: only an image/],
    ['a preview that is not an object', { filename: 'p.png', contentType: 'image/png', fileSize: PHOTO.length, preview: 'yes' }, /^preview: /],
  ])('refuses %s with a JSON 400 and reserves nothing', async (_label, body, message) => {
    const user = await signUp()
    for (const path of ['/api/uploads/pre-signed-url', '/api/uploads/multipart']) {
      const response = await presign(user, body, path)
      expect(response.status, path).toBe(400)
      const answer = await response.json() as { statusCode: number, message: string }
      expect(answer.statusCode).toBe(400)
      expect(answer.message, path).toMatch(message)
    }
    expect(await sql('select id from upload where owner_id = $1', [user.id])).toHaveLength(0)
  })
})

describe('recording a preview at /complete', () => {
  it('records a stored preview; the list says so and the thumbnail URL reads the preview, the download URL the original', async () => {
    const user = await signUp()
    const signed = await committedWithPreview(user)
    expect(await sql('select preview_size from upload where id = $1', [signed.uploadId])).toEqual([{ preview_size: PREVIEW.length }])
    expect(await listed(user, signed.uploadId)).toMatchObject({ hasPreview: true })

    const { downloadUrl, thumbnailUrl } = await thumbnailUrls(user, signed.uploadId)
    const thumbnail = await fetch(thumbnailUrl!)
    expect(thumbnail.status).toBe(200)
    expect(thumbnail.headers.get('content-type')).toBe('image/webp')
    expect(Buffer.from(await thumbnail.arrayBuffer()).equals(PREVIEW)).toBe(true)
    const original = await fetch(downloadUrl)
    expect(Buffer.from(await original.arrayBuffer()).equals(PHOTO)).toBe(true)
  })

  it('commits without a preview when none arrived (the upload never fails for it); the thumbnail stays the original', async () => {
    const user = await signUp()
    const signed = await requestUploadWithPreview(user, 'photo.png', PHOTO, PREVIEW)
    expect(await status(putSigned(signed, PHOTO))).toBe(200)
    const completed = await completeUpload(user, signed.uploadId)
    expect(completed.status).toBe(200)
    expect(await completed.json()).toMatchObject({ status: 'committed', hasPreview: false })
    expect((await thumbnailUrls(user, signed.uploadId)).thumbnailUrl).toBeNull()
    // A preview arriving after the commit is never shown.
    expect(await status(putSigned(signed.preview, PREVIEW))).toBe(200)
    expect(await status(completeUpload(user, signed.uploadId))).toBe(200)
    expect(await listed(user, signed.uploadId)).toMatchObject({ hasPreview: false })
  })

  it('does not record bytes that are not WebP, and deletes them', async () => {
    const user = await signUp()
    const signed = await requestUploadWithPreview(user, 'photo.png', PHOTO, PREVIEW)
    expect(await status(putSigned(signed, PHOTO))).toBe(200)
    const html = Buffer.alloc(PREVIEW.length, 0x20)
    html.write('<html><script>alert(1)</script></html>')
    expect(await status(putSigned(signed.preview, html))).toBe(200)
    const completed = await completeUpload(user, signed.uploadId)
    expect(completed.status).toBe(200)
    expect(await completed.json()).toMatchObject({ hasPreview: false })
    expect(await storedAt(signed.preview.key)).toBeNull()
  })

  it('does not record an object at the preview key that someone else wrote', async () => {
    const user = await signUp()
    const other = await signUp()
    const signed = await requestUploadWithPreview(user, 'photo.png', PHOTO, PREVIEW)
    expect(await status(putSigned(signed, PHOTO))).toBe(200)
    await plant(signed.preview.key, PREVIEW, 'image/webp', other.id)
    const completed = await completeUpload(user, signed.uploadId)
    expect(await completed.json()).toMatchObject({ status: 'committed', hasPreview: false })
    expect(await storedAt(signed.preview.key)).toBeNull()
  })

  it('records the preview of an upload in parts', async () => {
    const user = await signUp()
    const size = 6 * MiB
    const response = await presign(user, { filename: 'huge.png', contentType: 'image/png', fileSize: size, preview: { contentType: 'image/webp', fileSize: PREVIEW.length } }, '/api/uploads/multipart')
    expect(response.status, await response.clone().text()).toBe(200)
    const upload = await response.json() as MultipartUpload & { preview: { key: string, presignedUrl: string, headers: Record<string, string> } }
    expect(upload.preview.key).toBe(previewKeyOf(upload.key))
    expect(await status(fetch(upload.preview.presignedUrl, { method: 'PUT', headers: upload.preview.headers, body: PREVIEW }))).toBe(200)
    await sendParts(user, { ...upload, fileSize: size }, photoBytes(size), Array.from({ length: upload.partCount }, (_, index) => index + 1))
    const completed = await completeMultipart(user, upload.id)
    expect(completed.status, await completed.clone().text()).toBe(200)
    expect(await completed.json()).toMatchObject({ id: upload.id, hasPreview: true })
    const { thumbnailUrl } = await thumbnailUrls(user, upload.id)
    expect(Buffer.from(await (await fetch(thumbnailUrl!)).arrayBuffer()).equals(PREVIEW)).toBe(true)
  })

  it('signs thumbnails only for the caller\'s own uploads', async () => {
    const owner = await signUp()
    const other = await signUp()
    const signed = await committedWithPreview(owner)
    const response = await api('/api/uploads/download-urls', { method: 'POST', cookie: other.cookie, json: { ids: [signed.uploadId] } })
    expect(await response.json()).toMatchObject({ items: [] })
  })
})

describe('removing previews with their uploads', () => {
  it('a delete tombstones the preview while its URL is valid, and the cleanup removes it after', async () => {
    const user = await signUp()
    const signed = await committedWithPreview(user)
    const { thumbnailUrl } = await thumbnailUrls(user, signed.uploadId)
    expect(await status(api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await storedAt(signed.preview.key)).toEqual({ kind: 'tombstone', reason: 'deleted' })
    // Neither the earlier preview URL writes it back nor the earlier thumbnail URL reads the preview.
    expect(await status(putSigned(signed.preview, PREVIEW))).toBe(412)
    expect((await (await fetch(thumbnailUrl!)).arrayBuffer()).byteLength).toBe(1)

    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    await runCleanup()
    await expect.poll(() => storedAt(signed.preview.key), { timeout: 30_000 }).toBeNull()
    expect(await storedAt(signed.key)).toBeNull()
  })

  it('discarding an image upload in parts keeps its row until the cleanup has removed the preview\'s tombstone', async () => {
    const user = await signUp()
    const response = await presign(user, { filename: 'big.png', contentType: 'image/png', fileSize: 6 * MiB, preview: { contentType: 'image/webp', fileSize: PREVIEW.length } }, '/api/uploads/multipart')
    const upload = await response.json() as MultipartUpload & { preview: { key: string, presignedUrl: string, headers: Record<string, string> } }
    expect(await status(api(`/api/uploads/multipart/${upload.id}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await storedAt(upload.preview.key)).toEqual({ kind: 'tombstone', reason: 'deleted' })
    expect(await status(fetch(upload.preview.presignedUrl, { method: 'PUT', headers: upload.preview.headers, body: PREVIEW }))).toBe(412)
    expect(await sql('select status from upload where id = $1', [upload.id])).toEqual([{ status: 'deleted' }])
    expect((await (await api('/api/uploads/usage', { cookie: user.cookie })).json()).usedBytes).toBe(0)

    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [upload.id])
    await runCleanup()
    await expect.poll(() => storedAt(upload.preview.key), { timeout: 30_000 }).toBeNull()
    await expect.poll(async () => sql('select id from upload where id = $1', [upload.id]), { timeout: 30_000 }).toEqual([])
  })

  it('a delete past the URL\'s lifetime removes the preview at once', async () => {
    const user = await signUp()
    const signed = await committedWithPreview(user)
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    expect(await status(api(`/api/uploads/${signed.uploadId}`, { method: 'DELETE', cookie: user.cookie }))).toBe(200)
    expect(await storedAt(signed.preview.key)).toBeNull()
    expect(await storedAt(signed.key)).toBeNull()
  })

  it('the cleanup removes the preview of an abandoned upload with it', async () => {
    const user = await signUp()
    const signed = await requestUploadWithPreview(user, 'photo.png', PHOTO, PREVIEW)
    expect(await status(putSigned(signed, PHOTO))).toBe(200)
    expect(await status(putSigned(signed.preview, PREVIEW))).toBe(200)
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    await runCleanup()
    await expect.poll(() => storedAt(signed.preview.key), { timeout: 30_000 }).toBeNull()
    expect(await storedAt(signed.key)).toBeNull()
  })

  it('an account deletion removes previews: tombstoned against earlier URLs, recorded for the cleanup', async () => {
    const user = await signUp()
    const committed = await committedWithPreview(user, 'kept.png')
    const pending = await requestUploadWithPreview(user, 'late.png', PHOTO, PREVIEW) // signed, not yet sent
    const response = await api('/api/auth/delete-user', { method: 'POST', cookie: user.cookie, json: { password: 'correct-horse-battery' } })
    expect(response.status, await response.clone().text()).toBe(200)

    for (const signed of [committed, pending]) {
      expect(await storedAt(signed.preview.key)).toEqual({ kind: 'tombstone', reason: 'account-deleted' })
      expect(await status(putSigned(signed.preview, PREVIEW))).toBe(412)
      expect(await sql('select tombstone from orphaned_object where key = $1', [signed.preview.key])).toEqual([{ tombstone: true }])
    }
  })
})
