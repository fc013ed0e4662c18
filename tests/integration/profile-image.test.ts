import { describe, expect, it } from 'vitest'
import { createSigner } from '../../server/utils/r2'
import { api, baseURL, signUp, sql, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import { localS3Credentials, signedUploadHeaders, uploadMetadata, type SignedUpload } from '../support/storage'
import { putSigned, requestProfileUpload } from '../support/uploads'

const imageA = makePng(2, [255, 0, 0])
const imageB = makePng(3, [0, 0, 255])

const put = (signed: SignedUpload, body: Uint8Array<ArrayBuffer>, headers = signedUploadHeaders(signed), url = signed.presignedUrl) =>
  putSigned(signed, body, { headers, url })

async function profileImage(user: TestUser) {
  const response = await api('/api/user/profile/image', { cookie: user.cookie })
  expect(response.status).toBe(200)
  return await response.json() as { hasImage: boolean, downloadUrl?: string, filename?: string, expiresIn?: number }
}

async function download(url: string) {
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

describe('POST /api/user/profile/image', () => {
  it('answers exactly the contract fields, signed for 24 h, with the values it signed', async () => {
    const user = await signUp()
    const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageA.length, originalFilename: 'a.png' })

    expect(Object.keys(signed).sort()).toEqual(
      ['contentType', 'expiresIn', 'fileSize', 'headers', 'key', 'originalFilename', 'presignedUrl', 'uploadedAt', 'uploadedBy'])
    expect(signed).toMatchObject({ contentType: 'image/png', fileSize: imageA.length, expiresIn: 86400, uploadedBy: user.id, originalFilename: 'a.png' })
    expect(signed.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Date(signed.uploadedAt).toISOString()).toBe(signed.uploadedAt)
    const url = new URL(signed.presignedUrl)
    expect(url.pathname).toBe(`/cdn-cgi/local/r2/s3/gallery/${signed.key}`)
    expect(url.searchParams.get('X-Amz-Expires')).toBe('86400')
    const [row] = await sql<{ image: string }>('select image from "user" where id = $1', [user.id])
    expect(row!.image).toBe(signed.key)
  })

  it('uploads, serves and overwrites under one stable key', async () => {
    const user = await signUp()
    expect(await profileImage(user)).toEqual({ hasImage: false })

    const first = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageA.length, originalFilename: 'a.png' })
    expect((await put(first, imageA)).status).toBe(200)
    const shown = await profileImage(user)
    expect(shown).toMatchObject({ hasImage: true, filename: 'a.png', expiresIn: 3600 })
    expect(new URL(shown.downloadUrl!).searchParams.get('X-Amz-Expires')).toBe('3600')
    expect((await download(shown.downloadUrl!)).equals(imageA)).toBe(true)

    const second = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageB.length, originalFilename: 'b.png' })
    expect(second.key).toBe(first.key)
    expect((await put(second, imageB)).status).toBe(200)
    const replaced = await profileImage(user)
    expect(replaced.filename).toBe('b.png')
    expect((await download(replaced.downloadUrl!)).equals(imageB)).toBe(true)
  })

  it('round-trips a non-ASCII filename through a header the browser can send', async () => {
    const user = await signUp()
    const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageA.length, originalFilename: 'café 😀.png' })
    expect(signed.originalFilename).toMatch(/^[\x20-\x7E]+$/)
    expect((await put(signed, imageA)).status).toBe(200)
    expect((await profileImage(user)).filename).toBe('café 😀.png')
  })

  it('never returns an undefined filename', async () => {
    const user = await signUp()
    const signed = await requestProfileUpload(user, { contentType: 'image/webp', fileSize: 10 })
    expect(signed.originalFilename).toBe('profile-image')
  })

  it('reports no image for a key that was assigned but never uploaded', async () => {
    const user = await signUp()
    await requestProfileUpload(user, { contentType: 'image/png', fileSize: 10 })
    expect(await profileImage(user)).toEqual({ hasImage: false })
  })

  it('gives one key to 20 parallel first-time requests', async () => {
    const user = await signUp()
    const responses = await Promise.all(Array.from({ length: 20 }, () =>
      api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: { contentType: 'image/png', fileSize: 10 } })))
    const keys = new Set(await Promise.all(responses.map(async (response) => {
      expect(response.status).toBe(200)
      return (await response.json() as SignedUpload).key
    })))
    expect(keys.size).toBe(1)
    const [row] = await sql<{ image: string }>('select image from "user" where id = $1', [user.id])
    expect(keys.has(row!.image)).toBe(true)
  })

  it('gives each user their own key; another user\'s URL cannot be bent onto it', async () => {
    const owner = await signUp()
    const other = await signUp()
    const ownerUpload = await requestProfileUpload(owner, { contentType: 'image/png', fileSize: imageA.length })
    expect((await put(ownerUpload, imageA)).status).toBe(200)

    expect(await profileImage(other)).toEqual({ hasImage: false })
    const otherUpload = await requestProfileUpload(other, { contentType: 'image/png', fileSize: imageB.length })
    expect(otherUpload.key).not.toBe(ownerUpload.key)

    // The other user's signed URL pointed at the owner's key: storage refuses, the owner's image is intact.
    const bent = new URL(otherUpload.presignedUrl)
    bent.pathname = bent.pathname.replace(otherUpload.key, ownerUpload.key)
    expect((await put(otherUpload, imageB, signedUploadHeaders(otherUpload), bent.toString())).status).toBe(403)
    const shown = await profileImage(owner)
    expect((await download(shown.downloadUrl!)).equals(imageA)).toBe(true)
  })
})

describe('storage enforces the signature (local S3 endpoint, SigV4 verified)', async () => {
  const user = await signUp()
  const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageA.length, originalFilename: 'a.png' })
  const headers = signedUploadHeaders(signed)

  it('refuses another content-type', async () => {
    expect((await put(signed, imageA, { ...headers, 'Content-Type': 'image/jpeg' })).status).toBe(403)
  })

  it('refuses a missing x-amz-meta header', async () => {
    const { 'x-amz-meta-uploaded-by': _dropped, ...rest } = headers
    expect((await put(signed, imageA, rest)).status).toBe(403)
  })

  it('refuses a changed x-amz-meta header', async () => {
    expect((await put(signed, imageA, { ...headers, 'x-amz-meta-uploaded-by': 'someone-else' })).status).toBe(403)
    expect((await put(signed, imageA, { ...headers, 'x-amz-meta-original-filename': 'other.png' })).status).toBe(403)
  })

  it('refuses a body whose size differs from fileSize', async () => {
    const longer = Buffer.concat([imageA, Buffer.from([0])])
    const response = await put(signed, longer)
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
  })

  it('refuses a tampered key', async () => {
    const url = new URL(signed.presignedUrl)
    url.pathname = url.pathname.replace(signed.key, crypto.randomUUID())
    expect((await put(signed, imageA, headers, url.toString())).status).toBe(403)
  })

  it('refuses an expired URL', async () => {
    const { accessKeyId, secretAccessKey } = localS3Credentials()
    const shortLived = createSigner({ accessKeyId, secretAccessKey, endpoint: `${baseURL}/cdn-cgi/local/r2/s3`, bucket: 'gallery' })
    const url = await shortLived.presignPut({
      key: signed.key,
      contentType: signed.contentType,
      contentLength: imageA.length,
      metadata: uploadMetadata(signed),
      expiresIn: 1,
    })
    await new Promise(resolve => setTimeout(resolve, 2100))
    const response = await put(signed, imageA, headers, url)
    expect(response.status).toBe(403)
    expect(await response.text()).toMatch(/expired/i)
  })

  it('accepts the untouched request (the refusals above are not a broken setup)', async () => {
    expect((await put(signed, imageA)).status).toBe(200)
  })
})

describe('PATCH /api/user/profile', () => {
  it('renames without touching the image key', async () => {
    const user = await signUp('Old Name')
    const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: 10 })
    const response = await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, json: { name: '  New Name  ' } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: user.id, name: 'New Name', email: user.email })
    const [row] = await sql<{ name: string, image: string }>('select name, image from "user" where id = $1', [user.id])
    expect(row).toEqual({ name: 'New Name', image: signed.key })
  })

  it('refuses an image field in the body and changes nothing', async () => {
    const user = await signUp('Kept')
    const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: 10 })
    const response = await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, json: { name: 'X', image: 'someone-elses-key' } })
    expect(response.status).toBe(400)
    const [row] = await sql<{ name: string, image: string }>('select name, image from "user" where id = $1', [user.id])
    expect(row).toEqual({ name: 'Kept', image: signed.key })
  })
})

describe('DELETE /api/user/profile/image', () => {
  it('removes the object, keeps the key for the next upload', async () => {
    const user = await signUp()
    const signed = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageA.length })
    expect((await put(signed, imageA)).status).toBe(200)
    const before = await profileImage(user)

    const response = await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })
    expect(response.status).toBe(200)
    expect(await profileImage(user)).toEqual({ hasImage: false })
    // The earlier download URL reads only the one-byte tombstone that now holds the key.
    const earlier = await fetch(before.downloadUrl!)
    expect((await earlier.arrayBuffer()).byteLength).toBe(1)
    expect(earlier.headers.get('x-amz-meta-tombstone')).toBe('removed')

    const again = await requestProfileUpload(user, { contentType: 'image/png', fileSize: imageB.length })
    expect(again.key).toBe(signed.key)
  })
})
