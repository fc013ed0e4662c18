import { describe, expect, it } from 'vitest'
import { createSigner } from '../../server/utils/r2'
import { api, baseURL, signUp, storageEndpoint } from '../support/api'
import { localS3Credentials, signedUploadHeaders } from '../support/storage'
import { committedUpload, putSigned, requestUpload } from '../support/uploads'

// The local storage endpoint (scripts/local-storage.mjs) in front of wrangler dev's S3 API: pre-signed requests are
// held to what was signed, as AWS S3 holds them, and stored files are served from another origin as sandboxed downloads.

const appOrigin = new URL(baseURL).origin

/** What the bucket holds at `key`, read with the storage keys straight from wrangler's endpoint (not the relay). */
async function storedBytes(key: string): Promise<Buffer | undefined> {
  const { accessKeyId, secretAccessKey } = localS3Credentials()
  const storage = createSigner({ accessKeyId, secretAccessKey, endpoint: `${baseURL}/cdn-cgi/local/r2/s3`, bucket: 'gallery' })
  const response = await fetch(await storage.presignGet({ key, expiresIn: 60 }))
  const body = Buffer.from(await response.arrayBuffer())
  return response.status === 200 ? body : undefined
}

describe('pre-signed uploads carry only the x-amz-* headers they signed', () => {
  it('refuses an added x-amz-copy-source (403 AccessDenied): the key never gets another user\'s file', async () => {
    const victim = await signUp('Victim')
    const secret = Buffer.from('the victim\'s private notes')
    const victimFile = await committedUpload(victim, 'notes.txt', secret, 'text/plain')

    const attacker = await signUp('Attacker')
    const signed = await requestUpload(attacker, { filename: 'copy.txt', contentType: 'text/plain', fileSize: secret.length })
    for (const extra of [{}, { 'x-amz-metadata-directive': 'REPLACE' }] as Record<string, string>[]) {
      const put = await fetch(signed.presignedUrl, {
        method: 'PUT',
        headers: { ...signedUploadHeaders(signed), 'x-amz-copy-source': `/gallery/${victimFile.key}`, ...extra },
        body: Buffer.alloc(secret.length, 'x'),
      })
      expect(put.status).toBe(403)
      const answer = await put.text()
      expect(answer).toContain('<Code>AccessDenied</Code>')
      expect(answer).not.toContain('CopyObjectResult')
    }
    expect(await storedBytes(signed.key)).toBeUndefined()
    const complete = await api(`/api/uploads/${signed.uploadId}/complete`, { method: 'POST', cookie: attacker.cookie })
    expect(complete.status).not.toBe(200)
    expect(await storedBytes(victimFile.key)).toEqual(secret)
  })

  it('refuses an added unsigned x-amz-meta-* header, and still takes the upload exactly as signed', async () => {
    const user = await signUp()
    const bytes = Buffer.from('hello')
    const signed = await requestUpload(user, { filename: 'hello.txt', contentType: 'text/plain', fileSize: bytes.length })
    const tampered = await putSigned(signed, bytes, { headers: { ...signedUploadHeaders(signed), 'x-amz-meta-foo': 'bar' } })
    expect(tampered.status).toBe(403)
    expect(await tampered.text()).toContain('<Code>AccessDenied</Code>')
    expect(await storedBytes(signed.key)).toBeUndefined()

    expect((await putSigned(signed, bytes)).status).toBe(200)
    expect(await storedBytes(signed.key)).toEqual(bytes)
  })

  it('passes the browser\'s CORS preflight from the app\'s origin through', async () => {
    const user = await signUp()
    const signed = await requestUpload(user, { filename: 'a.txt', contentType: 'text/plain', fileSize: 1 })
    const preflight = await fetch(signed.presignedUrl, {
      method: 'OPTIONS',
      headers: {
        'origin': appOrigin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': Object.keys(signedUploadHeaders(signed)).join(',').toLowerCase(),
      },
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(new RegExp(`^(\\*|${appOrigin})$`))
  })
})

describe('stored files never run on the app\'s origin', () => {
  it.each([
    ['page.html', 'text/html', '<!doctype html><script>fetch("/api/user/profile")</script>'],
    ['image.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'],
  ])('serves %s from another origin as a sandboxed download', async (filename, contentType, text) => {
    const user = await signUp()
    const bytes = Buffer.from(text)
    const { uploadId } = await committedUpload(user, filename, bytes, contentType)
    const signing = await api(`/api/uploads/${uploadId}/download-url`, { cookie: user.cookie })
    expect(signing.status).toBe(200)
    const { downloadUrl } = await signing.json() as { downloadUrl: string }
    expect(new URL(downloadUrl).origin).not.toBe(appOrigin)
    expect(new URL(downloadUrl).origin).toBe(new URL(storageEndpoint).origin)

    const response = await fetch(downloadUrl)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(response.headers.get('content-disposition')).toContain(filename)
    expect(response.headers.get('content-security-policy')).toMatch(/(^|;\s*)sandbox(;|$)/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)
  })

  it('makes a download of a URL signed without a disposition an attachment too', async () => {
    const user = await signUp()
    const { key } = await committedUpload(user, 'page.html', Buffer.from('<p>hi</p>'), 'text/html')
    const { accessKeyId, secretAccessKey } = localS3Credentials()
    const storage = createSigner({ accessKeyId, secretAccessKey, endpoint: storageEndpoint, bucket: 'gallery' })
    const response = await fetch(await storage.presignGet({ key, expiresIn: 60 }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toBe('attachment')
    expect(response.headers.get('content-security-policy')).toBe('sandbox')
    await response.arrayBuffer()
  })
})
