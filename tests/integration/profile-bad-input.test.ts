import { beforeAll, describe, expect, it } from 'vitest'
import { api, signUp, type TestUser } from '../support/api'

let user: TestUser
beforeAll(async () => {
  user = await signUp()
})

async function expectClientError(response: Response) {
  const text = await response.text()
  expect(response.status, text).toBeGreaterThanOrEqual(400)
  expect(response.status, text).toBeLessThan(500)
  expect(response.headers.get('content-type')).toContain('application/json')
  const body = JSON.parse(text)
  expect(body.statusCode).toBe(response.status)
  expect(typeof body.message).toBe('string')
  expect(body.message.length).toBeGreaterThan(0)
  return body as { statusCode: number, message: string }
}

const valid = { contentType: 'image/png', fileSize: 1000, originalFilename: 'a.png' }

describe('POST /api/user/profile/image refuses bad input with a JSON 4xx', () => {
  it.each([
    ['a string size', { ...valid, fileSize: '1000' }],
    ['a negative size', { ...valid, fileSize: -1 }],
    ['a zero size', { ...valid, fileSize: 0 }],
    ['a fractional size', { ...valid, fileSize: 10.5 }],
    ['a huge size', { ...valid, fileSize: 5 * 1024 * 1024 + 1 }],
    ['an absurd size', { ...valid, fileSize: 1e308 }],
    ['a non-image type', { ...valid, contentType: 'text/html' }],
    ['SVG (scriptable)', { ...valid, contentType: 'image/svg+xml' }],
    ['a type with CR/LF', { ...valid, contentType: 'image/png\r\nx-amz-meta-evil: 1' }],
    ['a filename with CR/LF', { ...valid, originalFilename: 'a.png\r\nx-amz-meta-evil: 1' }],
    ['a 5,000-character filename', { ...valid, originalFilename: 'x'.repeat(5000) }],
    ['a filename with a lone surrogate', { ...valid, originalFilename: '\uD800.png' }],
    ['a numeric filename', { ...valid, originalFilename: 42 }],
    ['a missing type', { fileSize: 1000 }],
    ['an array body', [valid]],
  ])('%s', async (_label, body) => {
    const response = await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: body })
    await expectClientError(response)
  })

  it('names the offending field', async () => {
    const response = await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: { ...valid, fileSize: -1 } })
    expect((await expectClientError(response)).message).toMatch(/^fileSize: /)
  })

  it('a body that is not JSON', async () => {
    const response = await api('/api/user/profile/image', {
      method: 'POST', cookie: user.cookie, body: '{"contentType": "image/png", ', headers: { 'content-type': 'application/json' },
    })
    await expectClientError(response)
  })

  it('JSON sent as text/plain (what a cross-site form can send) → 415', async () => {
    const response = await api('/api/user/profile/image', {
      method: 'POST', cookie: user.cookie, body: JSON.stringify(valid), headers: { 'content-type': 'text/plain' },
    })
    expect((await expectClientError(response)).statusCode).toBe(415)
  })
})

describe('PATCH /api/user/profile refuses bad input with a JSON 4xx', () => {
  it.each([
    ['an empty name', { name: '   ' }],
    ['a 5,000-character name', { name: 'x'.repeat(5000) }],
    ['a name with CR/LF', { name: 'Ann\r\nEvil' }],
    ['a name with a lone surrogate', { name: 'Ann\uD800' }],
    ['an image field', { name: 'Ann', image: 'someone-elses-key' }],
    ['a numeric name', { name: 7 }],
    ['no name', {}],
  ])('%s', async (_label, body) => {
    await expectClientError(await api('/api/user/profile', { method: 'PATCH', cookie: user.cookie, json: body }))
  })
})

describe('every profile endpoint needs a session', () => {
  it.each([
    ['GET', '/api/user/profile'],
    ['PATCH', '/api/user/profile'],
    ['GET', '/api/user/profile/image'],
    ['POST', '/api/user/profile/image'],
    ['DELETE', '/api/user/profile/image'],
  ])('%s %s → 401', async (method, path) => {
    const response = await api(path, { method, json: method === 'GET' || method === 'DELETE' ? undefined : { ...valid, name: 'x' } })
    expect(response.status).toBe(401)
    expect((await expectClientError(response)).statusCode).toBe(401)
  })

  it('answers 401, not a validation error, to a guest with a bad body (no schema hints before sign-in)', async () => {
    const response = await api('/api/user/profile/image', { method: 'POST', json: { fileSize: -1 } })
    expect(response.status).toBe(401)
  })
})
