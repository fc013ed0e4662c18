import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '../../scripts/embedded-db.mjs'
import { startTestServer } from '../support/test-server.mjs'
import { startTcpProxy } from '../support/tcp-proxy'
import pg from 'pg'
import { AwsClient } from 'aws4fetch'
import { randomClientIp, sqlOn, updatedCookie, withoutSessionCache } from '../support/api'
import { makePng } from '../support/png'
import { localS3Credentials, type SignedUpload } from '../support/storage'
import { findSecrets, userSecrets } from '../e2e/secrets'
import { putSigned } from '../support/uploads'

const sql = sqlOn(() => server.databaseUrl)

// A worker of its own whose Postgres sits behind a TCP hop the test can cut: "Postgres stopped" without stopping
// the shared server the other suites use.
const PORT = await freePort()
const origin = `http://localhost:${PORT}`
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let server: Awaited<ReturnType<typeof startTestServer>>
let cookie = ''
let userId = ''
const EMAIL = 'fault@example.com'
const PASSWORD = 'correct-horse-battery'
const NEW_EMAIL = 'fault-new@example.com'
// Everything the worker prints, scanned for the user's email and session token once the outages are over.
const logDir = mkdtempSync(join(tmpdir(), 'gallery-faults-'))
const logFile = join(logDir, 'worker.log')

beforeAll(async () => {
  const postgres = new URL(inject('postgresUrl'))
  proxy = await startTcpProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) })
  server = await startTestServer({
    port: PORT,
    postgresUrl: postgres.toString(),
    logFile,
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
    body: JSON.stringify({ name: 'Fault', email: EMAIL, password: PASSWORD }),
  })
  expect(response.status).toBe(200)
  cookie = response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  userId = (await response.json() as { user: { id: string } }).user.id
})

afterAll(async () => {
  await server?.stop()
  await proxy?.close()
  rmSync(logDir, { recursive: true, force: true })
})

const profileImageRequests = (cookie: string) => [
  fetch(`${origin}/api/user/profile/image`, {
    method: 'POST', headers: { cookie, 'origin': origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: 10 }),
  }),
  fetch(`${origin}/api/user/profile/image`, { headers: { cookie } }),
]
const uploadRequests = (cookie: string) => [
  fetch(`${origin}/api/uploads/pre-signed-url`, {
    method: 'POST', headers: { cookie, 'origin': origin, 'content-type': 'application/json' }, body: JSON.stringify({ filename: 'a.txt', contentType: 'text/plain', fileSize: 1 }),
  }),
  fetch(`${origin}/api/uploads`, { headers: { cookie } }),
]
const signingRequests = (cookie: string) => [...profileImageRequests(cookie), ...uploadRequests(cookie)]

async function expectUnavailable(responses: Response[]) {
  for (const response of responses) {
    expect(response.status, response.url).toBe(503)
    const body = await response.json()
    if (!response.url.endsWith('/api/health')) expect(body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/database is unavailable/i) })
    else expect(body).toMatchObject({ status: 'unavailable', database: { ok: false }, storage: { ok: true } })
  }
}

describe('database connections', () => {
  it('leaves none open once responses are out, errors included', async () => {
    const responses = await Promise.all([
      ...Array.from({ length: 5 }, () => fetch(`${origin}/api/user/profile`, { headers: { cookie } })),
      fetch(`${origin}/api/uploads/${crypto.randomUUID()}/complete`, { method: 'POST', headers: { cookie, origin } }), // 404
      fetch(`${origin}/api/user/profile`, { method: 'PATCH', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{"name":""}' }), // 400
      fetch(`${origin}/api/user/profile`, { headers: { cookie: 'better-auth.session_token=forged' } }), // 401 after a lookup
    ])
    expect(responses.map(response => response.status)).toEqual([200, 200, 200, 200, 200, 404, 400, 401])
    const open = async () => {
      const [row] = await sql<{ count: string }>(
        `select count(*) from pg_stat_activity where datname = current_database() and application_name = 'gallery-worker'`)
      return Number(row!.count)
    }
    await expect.poll(open, { timeout: 5000 }).toBe(0)
  })
})

describe('Postgres goes away and comes back', () => {
  it('answers 503 JSON quickly while it is down, then works again', async () => {
    // The first upload URL assigns the key and re-issues the session cookie cache with it.
    const [firstUpload] = await Promise.all(signingRequests(cookie))
    expect(firstUpload!.status).toBe(200)
    const cachedCookie = updatedCookie(cookie, firstUpload!)
    for (const response of await Promise.all(signingRequests(cachedCookie))) expect(response.status).toBe(200)

    await proxy.stop()
    const started = Date.now()
    // A session the cookie cache no longer vouches for must be checked against the database: 503.
    await expectUnavailable(await Promise.all([...signingRequests(withoutSessionCache(cachedCookie)), fetch(`${origin}/api/health`)]))
    // Within the cache, uploads still need their row written: 503.
    await expectUnavailable(await Promise.all(uploadRequests(cachedCookie)))
    // The profile image needs no SQL within the cache (session and stable key both in the signed cookie), so it is
    // still signed; its audit event waits in the queue (see "audit events signed while Postgres is down").
    for (const response of await Promise.all(profileImageRequests(cachedCookie))) expect(response.status, response.url).toBe(200)
    expect(Date.now() - started).toBeLessThan(10_000)

    await proxy.start()
    await expect.poll(async () => (await fetch(`${origin}/api/health`)).status, { timeout: 15_000 }).toBe(200)
    for (const response of await Promise.all(signingRequests(withoutSessionCache(cachedCookie)))) expect(response.status).toBe(200)
  })
})

describe('Better Auth while Postgres is down', () => {
  const json = { 'origin': origin, 'content-type': 'application/json' }
  const signIn = () => fetch(`${origin}/api/auth/sign-in/email`, {
    method: 'POST', headers: { ...json, 'cf-connecting-ip': randomClientIp() }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  })
  const signUp = () => fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST', headers: { ...json, 'cf-connecting-ip': randomClientIp() }, body: JSON.stringify({ name: 'New', email: NEW_EMAIL, password: PASSWORD }),
  })
  // Outside the cookie cache the session is looked up by its token.
  const getSession = () => fetch(`${origin}/api/auth/get-session`, { headers: { cookie: withoutSessionCache(cookie) } })
  const restore = async () => {
    await proxy.start()
    await expect.poll(async () => (await fetch(`${origin}/api/health`)).status, { timeout: 15_000 }).toBe(200)
  }

  it('answers 503 JSON on its own routes, not 500', async () => {
    await proxy.stop()
    try {
      await expectUnavailable(await Promise.all([signIn(), signUp(), getSession()]))
    }
    finally {
      await restore()
    }
  })

  it('answers 503 JSON when Postgres goes away in the middle of a request', async () => {
    // Holding the tables the lookups read parks each request inside its query (past the rate limiter, whose own
    // failure is simpler); the cut then fails the query that carries the email or the session token.
    const blocker = new pg.Client({ connectionString: server.databaseUrl })
    await blocker.connect()
    let cut = false
    try {
      await blocker.query('begin')
      await blocker.query('lock table "user", "session" in access exclusive mode')
      const responses = Promise.all([signIn(), signUp(), getSession()])
      const waiting = async () => Number((await sql<{ count: string }>(`select count(*) from pg_stat_activity
        where application_name = 'gallery-worker' and wait_event_type = 'Lock' and datname = current_database()`))[0]!.count)
      await expect.poll(waiting, { timeout: 8000 }).toBe(3)
      await proxy.stop()
      cut = true
      await expectUnavailable(await responses)
    }
    finally {
      await blocker.end()
      if (cut) await restore()
    }
  })
})

describe('audit events signed while Postgres is down', () => {
  const eventsOf = async (email: string) => Number((await sql<{ count: string }>(`select count(*) from presign_event
    where user_id = (select id from "user" where email = '${email}')`))[0]!.count)

  it('are all written once it is back, none twice', async () => {
    // The first outage's events (2 + 2 before it, 1 profile image inside the cache during it, 2 after) all landed:
    // none lost, and no retry of theirs is left to open connections during the health checks below.
    await expect.poll(() => eventsOf(EMAIL), { timeout: 120_000 }).toBe(7)

    const email = 'fault-audit@example.com'
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'origin': origin, 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() },
      body: JSON.stringify({ name: 'Audit', email, password: PASSWORD }),
    })
    expect(signUp.status).toBe(200)
    const own = signUp.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    const image = makePng(2, [4, 4, 4])
    const first = await fetch(`${origin}/api/user/profile/image`, {
      method: 'POST', headers: { 'cookie': own, origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: image.length }),
    })
    expect(first.status).toBe(200)
    const cached = updatedCookie(own, first)
    const signed = await first.json() as SignedUpload
    expect((await putSigned(signed, image)).status).toBe(200)
    await expect.poll(() => eventsOf(email), { timeout: 30_000 }).toBe(1)

    const retries = () => readFileSync(logFile, 'utf8').split('audit.batch_retried').length - 1
    const retriesBefore = retries()
    await proxy.stop()
    let responses: Response[]
    try {
      // 100 URLs inside the cookie cache (20 upload, 80 download: within the per-user rate limits).
      responses = await Promise.all(Array.from({ length: 100 }, (_, i) => i < 20
        ? fetch(`${origin}/api/user/profile/image`, {
            method: 'POST', headers: { 'cookie': cached, origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: image.length }),
          })
        : fetch(`${origin}/api/user/profile/image`, { headers: { cookie: cached } })))
      // Postgres stays cut until the consumer has tried to write them and been told to retry later.
      await expect.poll(retries, { timeout: 30_000 }).toBeGreaterThan(retriesBefore)
    }
    finally {
      await proxy.start()
    }
    expect(responses.map(response => response.status)).toEqual(Array.from({ length: 100 }, () => 200))
    for (const response of responses.slice(20)) expect(await response.json()).toMatchObject({ hasImage: true })

    await expect.poll(() => eventsOf(email), { timeout: 120_000 }).toBe(101)
    const [counts] = await sql<{ puts: string, gets: string, events: string }>(`select count(*) filter (where action = 'put') as puts,
      count(*) filter (where action = 'get') as gets, count(distinct event_id) as events
      from presign_event where user_id = (select id from "user" where email = '${email}')`)
    expect(counts).toEqual({ puts: '21', gets: '80', events: '101' })
  })
})

// A filename shaped like an email, as a person may well name a file.
const FILENAME = 'jane.roe@private-mail.example.txt'

describe('a query that fails for a reason of its own', () => {
  it('answers a JSON 500 (its log line is scanned below)', async () => {
    // A constraint the insert breaks: the failure Drizzle wraps with the values, then h3 wraps again.
    await sql(`alter table upload add constraint fault_probe check (original_filename <> '${FILENAME}') not valid`)
    try {
      const response = await fetch(`${origin}/api/uploads/pre-signed-url`, {
        method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: JSON.stringify({ filename: FILENAME, contentType: 'text/plain', fileSize: 1 }),
      })
      expect(response.status).toBe(500)
      expect(await response.json()).toMatchObject({ statusCode: 500 })
    }
    finally {
      await sql('alter table upload drop constraint fault_probe')
    }
  })
})

describe('the worker log, outages included', () => {
  it('holds neither the email nor the session token', async () => {
    const read = () => readFileSync(logFile, 'utf8')
    // wrangler logs each request; seeing the outage's sign-in there proves the scan covers it.
    await expect.poll(read, { timeout: 10_000 }).toMatch(/POST \/api\/auth\/sign-in\/email 503/)
    const log = read()
    // ...and the failed queries were logged (redacted or not), so the scan covers what would carry the values.
    expect(log).toContain('Failed query')
    const lines = log.split('\n')
    expect(lines.length).toBeGreaterThan(30)
    const sessionCookie = cookie.split('; ').find(pair => pair.startsWith('better-auth.session_token='))!.split('=').slice(1).join('=')
    const secrets = userSecrets([{ email: EMAIL, sessionCookies: [sessionCookie] }, { email: NEW_EMAIL, sessionCookies: [] }])
    const leaks = lines.flatMap((line, index) => findSecrets(line, secrets).map(name => `${name} on log line ${index + 1}`))
    expect(leaks).toEqual([])
  })

  it('holds no query parameters, keys, filenames or signed URLs', async () => {
    const read = () => readFileSync(logFile, 'utf8')
    // The failed insert was logged, so the scan covers the line that would carry its values.
    await expect.poll(read, { timeout: 10_000 }).toMatch(/\[request error\].*pre-signed-url/)
    const lines = read().split('\n')
    const keys = (await sql<{ key: string }>('select key from upload')).map(row => row.key)
    expect(keys.length).toBeGreaterThan(0)
    const leaks = lines.flatMap((line, index) => [
      ...[userId, FILENAME, 'private-mail', ...keys].filter(value => line.includes(value)).map(value => `${value} on log line ${index + 1}`),
      ...(/params: (?!\[redacted\])/.test(line) ? [`query parameters on log line ${index + 1}`] : []),
      ...(/X-Amz-(Signature|Credential)=/.test(line) ? [`a signed URL on log line ${index + 1}`] : []),
      // The key of the refused insert is in no row; any `<uuid>.txt` is one.
      ...(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.txt/.test(line) ? [`a key on log line ${index + 1}`] : []),
    ])
    expect(leaks).toEqual([])
  })
})

describe('/api/health for anonymous callers from the internet', () => {
  it('answers from a recent result instead of opening a connection per hit', async () => {
    const fromTheInternet = { 'cf-connecting-ip': '203.0.113.7' }
    const before = proxy.connections()
    expect((await fetch(`${origin}/api/health`, { headers: fromTheInternet })).status).toBe(200)
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${origin}/api/health`, { headers: fromTheInternet })))
    for (const response of responses) expect(await response.json()).toMatchObject({ status: 'ok', database: { ok: true } })
    expect(proxy.connections() - before).toBeLessThanOrEqual(1)
  })

  it('still probes live for a local caller', async () => {
    const before = proxy.connections()
    for (let i = 0; i < 3; i++) expect((await fetch(`${origin}/api/health`)).status).toBe(200)
    expect(proxy.connections() - before).toBe(3)
  })
})

describe('profile image history while Postgres is down', () => {
  it('a keep or restore that fails part-way leaves the current image intact', async () => {
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'origin': origin, 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() },
      body: JSON.stringify({ name: 'History', email: 'fault-history@example.com', password: PASSWORD }),
    })
    expect(signUp.status).toBe(200)
    let own = signUp.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
    const presign = (bytes: Uint8Array) => fetch(`${origin}/api/user/profile/image`, {
      method: 'POST', headers: { 'cookie': own, origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: bytes.length }),
    })
    const upload = async (bytes: Uint8Array<ArrayBuffer>) => {
      const response = await presign(bytes)
      expect(response.status).toBe(200)
      own = updatedCookie(own, response) // the cookie cache now carries the key: the profile routes need no SQL
      const signed = await response.json() as SignedUpload
      expect((await putSigned(signed, bytes)).status).toBe(200)
    }
    const currentBytes = async () => {
      const shown = await fetch(`${origin}/api/user/profile/image`, { headers: { cookie: own } })
      expect(shown.status).toBe(200)
      return Buffer.from(await (await fetch((await shown.json()).downloadUrl)).arrayBuffer())
    }
    const [a, b, c] = [makePng(2, [1, 0, 0]), makePng(3, [0, 1, 0]), makePng(4, [0, 0, 1])]
    await upload(a)
    await upload(b)
    const [version] = (await (await fetch(`${origin}/api/user/profile/image/versions`, { headers: { cookie: own } })).json()).items
    expect(version).toBeDefined()

    await proxy.stop()
    try {
      // The keep copies the current image, then cannot write its row; the restore cannot even find its version.
      expect((await presign(c)).status).toBe(200)
      const restore = await fetch(`${origin}/api/user/profile/image/versions/${version.id}/restore`, { method: 'POST', headers: { cookie: own, origin } })
      expect(restore.status).toBe(503)
      expect(await restore.json()).toMatchObject({ statusCode: 503 })
      expect((await currentBytes()).equals(b)).toBe(true)
    }
    finally {
      await proxy.start()
    }
    await expect.poll(async () => (await fetch(`${origin}/api/health`)).status, { timeout: 15_000 }).toBe(200)
    expect((await currentBytes()).equals(b)).toBe(true)
    const restore = await fetch(`${origin}/api/user/profile/image/versions/${version.id}/restore`, { method: 'POST', headers: { cookie: own, origin } })
    expect(restore.status).toBe(200)
    expect((await currentBytes()).equals(a)).toBe(true)
    // The image the restore replaced was kept and listed, though the outage's keep could not record it.
    // The restored one stays listed on top, the one it replaced right after it.
    const kept = (await (await fetch(`${origin}/api/user/profile/image/versions`, { headers: { cookie: own } })).json()).items as { thumbnailUrl: string }[]
    expect(kept).toHaveLength(2)
    expect(Buffer.from(await (await fetch(kept[0]!.thumbnailUrl)).arrayBuffer()).equals(a)).toBe(true)
    expect(Buffer.from(await (await fetch(kept[1]!.thumbnailUrl)).arrayBuffer()).equals(b)).toBe(true)
  })

  it('removing the image answers 503 and deletes nothing when its copy cannot be listed', async () => {
    const user = await historyUser('fault-remove@example.com')
    const [a, b] = [makePng(2, [2, 0, 0]), makePng(3, [0, 2, 0])]
    await user.upload(a)
    await user.upload(b)

    await proxy.stop()
    try {
      const removed = await fetch(`${origin}/api/user/profile/image`, { method: 'DELETE', headers: { cookie: user.cookie(), origin } })
      expect(removed.status).toBe(503)
      expect(await removed.json()).toMatchObject({ statusCode: 503 })
      expect((await user.currentBytes())!.equals(b)).toBe(true)
    }
    finally {
      await proxy.start()
    }
    await expect.poll(async () => (await fetch(`${origin}/api/health`)).status, { timeout: 15_000 }).toBe(200)
    expect((await user.currentBytes())!.equals(b)).toBe(true)
    // The copy the outage could not list was dropped: one version object (a's) and the marker.
    expect(await user.storedVersionObjects()).toHaveLength(2)
    expect(await user.keptBytes()).toEqual([Buffer.from(a)])

    const removed = await fetch(`${origin}/api/user/profile/image`, { method: 'DELETE', headers: { cookie: user.cookie(), origin } })
    expect(removed.status).toBe(200)
    expect(await user.currentBytes()).toBeNull()
    expect(await user.keptBytes()).toEqual([Buffer.from(b), Buffer.from(a)])
  })

  it('a restore whose copy storage refuses part-way leaves the current image intact and the list consistent', async () => {
    const user = await historyUser('fault-restore@example.com')
    const [a, b] = [makePng(2, [3, 0, 0]), makePng(3, [0, 3, 0])]
    await user.upload(a)
    await user.upload(b)
    const [version] = await user.versions()
    // The version's object vanishes from storage: the restore keeps b, then its copy onto the key answers NoSuchKey.
    const [row] = await sql<{ key: string }>(`select key from profile_image_version where id = '${version!.id}'`)
    expect((await storage().fetch(storageUrl(row!.key), { method: 'DELETE' })).status).toBe(204)

    const restore = await fetch(`${origin}/api/user/profile/image/versions/${version!.id}/restore`, { method: 'POST', headers: { cookie: user.cookie(), origin } })
    expect(restore.status).toBe(502)
    expect(await restore.json()).toMatchObject({ statusCode: 502, message: expect.stringMatching(/NoSuchKey/) })
    expect((await user.currentBytes())!.equals(b)).toBe(true)
    // b was kept by the restore's first step and is listed; a's row is still there (its object is what storage lost).
    const listed = await user.versions()
    expect(listed.map(item => item.id)).toEqual([expect.any(String), version!.id])
    expect(Buffer.from(await (await fetch(listed[0]!.thumbnailUrl)).arrayBuffer()).equals(b)).toBe(true)
    expect((await user.storedVersionObjects()).sort()).toEqual([listed[0]!.key, `${listed[0]!.key.split('/v/')[0]}/v/newest`].sort())
    // The image is still usable: the next upload replaces it, b is not kept twice.
    await user.upload(makePng(4, [0, 0, 3]))
    expect((await user.versions()).map(item => item.id)).toEqual(listed.map(item => item.id))
  })
})

const storage = () => new AwsClient({ ...localS3Credentials(), service: 's3', region: 'auto' })
const storageUrl = (key = '') => `${origin}/cdn-cgi/local/r2/s3/gallery/${key.split('/').map(encodeURIComponent).join('/')}`

/** A fresh user whose cookie carries the session cache and the stable key, with the profile image calls it makes. */
async function historyUser(email: string) {
  const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'origin': origin, 'content-type': 'application/json', 'cf-connecting-ip': randomClientIp() },
    body: JSON.stringify({ name: 'History', email, password: PASSWORD }),
  })
  expect(signUp.status).toBe(200)
  let own = signUp.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  const versions = async () => {
    const items = (await (await fetch(`${origin}/api/user/profile/image/versions`, { headers: { cookie: own } })).json()).items as { id: string, thumbnailUrl: string }[]
    const rows = await sql<{ id: string, key: string }>(`select id, key from profile_image_version
      where owner_id = (select id from "user" where email = '${email}')`)
    return items.map(item => ({ ...item, key: rows.find(row => row.id === item.id)!.key }))
  }
  return {
    cookie: () => own,
    versions,
    async upload(bytes: Uint8Array<ArrayBuffer>) {
      const response = await fetch(`${origin}/api/user/profile/image`, {
        method: 'POST', headers: { 'cookie': own, origin, 'content-type': 'application/json' }, body: JSON.stringify({ contentType: 'image/png', fileSize: bytes.length }),
      })
      expect(response.status).toBe(200)
      own = updatedCookie(own, response)
      const signed = await response.json() as SignedUpload
      expect((await putSigned(signed, bytes)).status).toBe(200)
    },
    async currentBytes() {
      const shown = await fetch(`${origin}/api/user/profile/image`, { headers: { cookie: own } })
      expect(shown.status).toBe(200)
      const body = await shown.json() as { hasImage: boolean, downloadUrl?: string }
      return body.hasImage ? Buffer.from(await (await fetch(body.downloadUrl!)).arrayBuffer()) : null
    },
    async keptBytes() {
      return await Promise.all((await versions()).map(async item => Buffer.from(await (await fetch(item.thumbnailUrl)).arrayBuffer())))
    },
    async storedVersionObjects() {
      const [{ image }] = await sql<{ image: string }>(`select image from "user" where email = '${email}'`) as [{ image: string }]
      const url = new URL(storageUrl())
      url.searchParams.set('list-type', '2')
      url.searchParams.set('prefix', `${image}/v/`)
      const response = await storage().fetch(url)
      expect(response.status).toBe(200)
      return [...(await response.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map(match => match[1]!)
    },
  }
}
