import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { api, randomClientIp, signUp, type TestUser } from '../support/api'

// Property-based bad input across every JSON endpoint: generated bodies, headers and path params.
// Property: no response is a 5xx, and every 4xx is JSON { statusCode, message }.

const CASES = 600
const SEED = Number(process.env.FUZZ_SEED ?? 20261129)

type Endpoint = { method: string, path: (param: string) => string, body: boolean, auth: 'user' | 'none' | 'either' }
const endpoints: Endpoint[] = [
  { method: 'POST', path: () => '/api/user/profile/image', body: true, auth: 'either' },
  { method: 'GET', path: () => '/api/user/profile/image', body: false, auth: 'either' },
  { method: 'DELETE', path: () => '/api/user/profile/image', body: false, auth: 'none' },
  { method: 'PATCH', path: () => '/api/user/profile', body: true, auth: 'either' },
  { method: 'GET', path: () => '/api/user/profile', body: false, auth: 'either' },
  { method: 'GET', path: () => '/api/user/activity', body: false, auth: 'either' },
  { method: 'POST', path: () => '/api/uploads/pre-signed-url', body: true, auth: 'either' },
  { method: 'GET', path: param => `/api/uploads?limit=${param}&offset=${param}`, body: false, auth: 'either' },
  { method: 'POST', path: param => `/api/uploads/${param}/complete`, body: true, auth: 'either' },
  { method: 'GET', path: param => `/api/uploads/${param}/download-url`, body: false, auth: 'either' },
  { method: 'DELETE', path: param => `/api/uploads/${param}`, body: false, auth: 'either' },
  { method: 'POST', path: () => '/api/uploads/download-urls', body: true, auth: 'either' },
  { method: 'POST', path: () => '/api/auth/sign-up/email', body: true, auth: 'none' },
  { method: 'POST', path: () => '/api/auth/sign-in/email', body: true, auth: 'none' },
  { method: 'POST', path: () => '/api/auth/update-user', body: true, auth: 'either' },
  { method: 'GET', path: () => '/api/health', body: false, auth: 'none' },
]

const weirdValue = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(''), fc.constant('x'.repeat(5000)),
  fc.constantFrom('image/png', 'text/plain', 'image/png\r\nx: y', '../../etc/passwd', '\u0000', '\uD800', 'café 😀.png', -1, 0, 1e308, 5242881, 1.5),
  fc.array(fc.string(), { maxLength: 3 }), fc.array(fc.uuid(), { maxLength: 60 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
)
const fieldNames = fc.constantFrom('contentType', 'fileSize', 'originalFilename', 'filename', 'name', 'email', 'password', 'image', 'ids', '__proto__', 'constructor')
const body = fc.oneof(
  fc.dictionary(fieldNames, weirdValue, { maxKeys: 5 }).map(value => JSON.stringify(value)),
  fc.jsonValue().map(value => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"str"', '{"contentType":"image/png","fileSize":1e400}', '\u0000\u0001'),
)
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'APPLICATION/JSON', 'application/jsonp')
const pathParam = fc.oneof(
  fc.uuid().map(String), fc.string({ maxLength: 40 }), fc.constantFrom('..', '../..', '%2e%2e', '0', '-1', 'null', 'x'.repeat(300), '\u0000', '😀'),
).map(value => encodeURIComponent(value))
const fuzzCase = fc.record({
  endpoint: fc.constantFrom(...endpoints),
  body,
  contentType,
  param: pathParam,
  signedIn: fc.boolean(),
  junkCookie: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
})

let users: TestUser[] = []
beforeAll(async () => {
  // Enough people that the per-user URL budget does not hide validation behind 429s.
  users = await Promise.all(Array.from({ length: 25 }, () => signUp('Fuzz')))
})

describe(`${CASES} generated malformed requests across ${endpoints.length} endpoints`, () => {
  it('never answer 5xx; every 4xx is JSON { statusCode, message }', async () => {
    const cases = fc.sample(fuzzCase, { numRuns: CASES, seed: SEED })
    const tally = { 'cases': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }
    const problems: string[] = []

    for (let start = 0; start < cases.length; start += 10) {
      await Promise.all(cases.slice(start, start + 10).map(async (c, offset) => {
        const user = users[(start + offset) % users.length]!
        const headers: Record<string, string> = { 'cf-connecting-ip': randomClientIp() }
        if (c.contentType) headers['content-type'] = c.contentType
        const cookie = c.signedIn && c.endpoint.auth !== 'none' ? user.cookie : c.junkCookie ? `better-auth.session_token=${encodeURIComponent(c.junkCookie)}` : undefined
        const response = await api(c.endpoint.path(c.param), {
          method: c.endpoint.method,
          cookie,
          headers,
          body: c.endpoint.body ? c.body : undefined,
        })
        const text = await response.text()
        tally.cases++
        tally[`${Math.floor(response.status / 100)}xx` as keyof typeof tally]++
        const label = `${c.endpoint.method} ${c.endpoint.path(c.param).slice(0, 80)} [${c.contentType}] ${c.body.slice(0, 80)}`
        if (response.status >= 500) problems.push(`${response.status} ${label}: ${text.slice(0, 200)}`)
        else if (response.status >= 400) {
          let parsed: { statusCode?: unknown, message?: unknown } | undefined
          try {
            parsed = JSON.parse(text)
          }
          catch {
            // not JSON: reported just below
          }
          if (parsed?.statusCode !== response.status || typeof parsed?.message !== 'string' || !parsed.message) {
            problems.push(`${response.status} without { statusCode, message }: ${label}: ${text.slice(0, 200)}`)
          }
        }
      }))
    }

    console.log(`fuzz: ${JSON.stringify(tally)} (seed ${SEED})`)
    expect(tally.cases).toBe(CASES)
    expect(problems).toEqual([])
  }, 180_000)
})
