import { describe, expect, it } from 'vitest'
import { downloadHeaders, storageVerdict, unsignedAmzHeaders } from '../../server/dev/local-storage-rules'
import { createSigner } from '../../server/utils/r2'

const signer = createSigner({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', endpoint: 'http://127.0.0.1:9000/cdn-cgi/local/r2/s3', bucket: 'gallery' })
const target = (url: string) => `${new URL(url).pathname}${new URL(url).search}`
const signedPut = async () => target(await signer.presignPut({ key: 'a.txt', contentType: 'text/plain', contentLength: 5, metadata: { 'original-filename': 'a.txt' } }))
const signedGet = async (contentDisposition?: string) => target(await signer.presignGet({ key: 'a.txt', expiresIn: 60, contentDisposition }))

describe('unsignedAmzHeaders', () => {
  it('lists x-amz-* headers a pre-signed request did not sign, whatever their case', async () => {
    const query = new URL(await signedPut(), 'http://x').searchParams
    expect(unsignedAmzHeaders(query, ['host', 'content-type', 'content-length', 'x-amz-meta-original-filename'])).toEqual([])
    expect(unsignedAmzHeaders(query, ['X-Amz-Copy-Source', 'x-amz-meta-original-filename', 'X-Amz-Meta-Foo'])).toEqual(['x-amz-copy-source', 'x-amz-meta-foo'])
  })

  it('ignores headers that are not x-amz-* (unsigned Origin, Cookie, User-Agent are fine, as on S3)', async () => {
    const query = new URL(await signedPut(), 'http://x').searchParams
    expect(unsignedAmzHeaders(query, ['origin', 'cookie', 'user-agent', 'amz-sdk-request', 'x-amzfoo'])).toEqual([])
  })

  it('leaves requests signed in the Authorization header alone (they are the server\'s own)', () => {
    expect(unsignedAmzHeaders(new URLSearchParams(), ['authorization', 'x-amz-copy-source', 'x-amz-date'])).toEqual([])
  })

  it('treats a pre-signed request without X-Amz-SignedHeaders as having signed none', () => {
    expect(unsignedAmzHeaders(new URLSearchParams({ 'X-Amz-Signature': 'abc' }), ['x-amz-date'])).toEqual(['x-amz-date'])
  })
})

describe('downloadHeaders', () => {
  it('makes every answer a sandboxed, unsniffed attachment', () => {
    expect(downloadHeaders(new URLSearchParams())).toEqual({
      'content-disposition': 'attachment', 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff',
    })
  })

  it('uses the signed response-content-disposition, which the local endpoint ignores', async () => {
    const query = new URL(await signedGet('attachment; filename="a b.txt"'), 'http://x').searchParams
    expect(downloadHeaders(query)['content-disposition']).toBe('attachment; filename="a b.txt"')
  })
})

describe('storageVerdict', () => {
  it('refuses with an S3-style AccessDenied naming the headers, XML-escaped', async () => {
    const verdict = storageVerdict('PUT', await signedPut(), ['content-type', 'x-amz-copy-source', 'x-amz-meta-<b>'])
    expect(verdict).toEqual({
      refuse: {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: expect.stringContaining('<Error><Code>AccessDenied</Code><Message>Headers not signed: x-amz-copy-source, x-amz-meta-&lt;b&gt;</Message></Error>'),
      },
    })
  })

  it('adds the download headers to GET and HEAD answers only', async () => {
    const get = await signedGet('attachment')
    expect(storageVerdict('GET', get, ['host'])).toEqual({ answerHeaders: downloadHeaders(new URL(get, 'http://x').searchParams) })
    expect(storageVerdict('head', get, [])).toMatchObject({ answerHeaders: { 'content-security-policy': 'sandbox' } })
    expect(storageVerdict('PUT', await signedPut(), ['content-type', 'x-amz-meta-original-filename'])).toEqual({ answerHeaders: {} })
  })

  it('passes a CORS preflight, whose request headers are only named in Access-Control-Request-Headers', async () => {
    expect(storageVerdict('OPTIONS', await signedPut(), ['origin', 'access-control-request-method', 'access-control-request-headers'])).toEqual({ answerHeaders: {} })
  })
})
