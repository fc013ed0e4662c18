import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { signedUploadHeaders } from '../../shared/utils/upload-contract'

// The local S3 endpoint's CORS is permissive, so it cannot catch a header missing from the R2 rule: this test does.
const rule = JSON.parse(readFileSync('r2/cors.json', 'utf8')).rules[0]

describe('r2/cors.json', () => {
  it('allows every header the upload composable sends, by explicit name', () => {
    const values = { presignedUrl: 'https://example/x', contentType: 'image/png', fileSize: 1, uploadedBy: 'u', uploadedAt: 't', originalFilename: 'f' }
    const sent = [{ ifNoneMatch: '*' as const }, { ifMatch: 'etag' }]
      .flatMap(condition => Object.keys(signedUploadHeaders(values, condition)).map(name => name.toLowerCase()))
    expect(sent).toEqual(expect.arrayContaining(['if-none-match', 'if-match']))
    const allowed: string[] = rule.allowed.headers.map((name: string) => name.toLowerCase())
    expect(allowed).not.toContain('*')
    expect(sent.filter(name => !allowed.includes(name))).toEqual([])
  })

  it('never has the browser send Content-Length by hand', () => {
    const headers = signedUploadHeaders({
      presignedUrl: 'https://example/x', contentType: 'image/png', fileSize: 1, uploadedBy: 'u', uploadedAt: 't', originalFilename: 'f',
    })
    expect(Object.keys(headers).map(name => name.toLowerCase())).not.toContain('content-length')
  })

  it('allows PUT and GET and exposes ETag', () => {
    expect(rule.allowed.methods).toEqual(expect.arrayContaining(['PUT', 'GET']))
    expect(rule.exposeHeaders).toContain('ETag')
  })
})
