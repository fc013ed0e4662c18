import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer } from '../support/test-server.mjs'
import { startTcpProxy } from '../support/tcp-proxy'
import { randomClientIp } from '../support/api'

// A worker of its own whose Postgres sits behind a TCP hop the test can cut: "Postgres stopped" without stopping
// the shared server the other suites use.
const PORT = 8794
const origin = `http://localhost:${PORT}`
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let server: Awaited<ReturnType<typeof startTestServer>>
let cookie = ''

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
  server = await startTestServer({
    port: PORT,
    stdio: 'ignore',
    fresh: true,
    workerDatabaseUrl: (url: string) => {
      const routed = new URL(url)
      routed.port = String(proxy.port)
      return routed.toString()
    },
  })
  const response = await fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'origin': origin, 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() },
    body: JSON.stringify({ name: 'Fault', email: 'fault@example.com', password: 'correct-horse-battery' }),
  })
  expect(response.status).toBe(200)
  cookie = response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
})

afterAll(async () => {
  await server?.stop()
  await proxy?.close()
})

const signingRequests = () => [
  fetch(`${origin}/api/user/profile/image`, {
    method: 'POST', headers: { cookie, 'origin': origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: 10 }),
  }),
  fetch(`${origin}/api/user/profile/image`, { headers: { cookie } }),
  fetch(`${origin}/api/uploads/pre-signed-url`, {
    method: 'POST', headers: { cookie, 'origin': origin, 'content-type': 'application/json' }, body: JSON.stringify({ filename: 'a.txt', contentType: 'text/plain', fileSize: 1 }),
  }),
  fetch(`${origin}/api/uploads`, { headers: { cookie } }),
]

describe('Postgres goes away and comes back', () => {
  it('answers 503 JSON quickly while it is down, then works again', async () => {
    for (const response of await Promise.all(signingRequests())) expect(response.status).toBe(200)

    await proxy.stop()
    const started = Date.now()
    const down = await Promise.all([...signingRequests(), fetch(`${origin}/api/health`)])
    const elapsed = Date.now() - started
    for (const response of down) {
      expect(response.status, response.url).toBe(503)
      const body = await response.json()
      if (!response.url.endsWith('/api/health')) expect(body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/database is unavailable/i) })
      else expect(body).toMatchObject({ status: 'unavailable', database: { ok: false }, storage: { ok: true } })
    }
    expect(elapsed).toBeLessThan(10_000)

    await proxy.start()
    await expect.poll(async () => (await fetch(`${origin}/api/health`)).status, { timeout: 15_000 }).toBe(200)
    for (const response of await Promise.all(signingRequests())) expect(response.status).toBe(200)
  })
})
