// Throughput and latency with autocannon: the signing endpoints and the bare signing route, one after another at
// each connection count, in the same run against the same worker.
import autocannon from 'autocannon'
import { compareWithBareRuns } from './report.mjs'
import { waitForAuditQueue } from './server.mjs'
import { BenchClient } from './session.mjs'
import { pngLike, putSigned } from './storage.mjs'

const IMAGE_BYTES = 1024
const BARE_ROUTE = 'GET /__bench/sign (bare)'

function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)))
  })
}

/** A user whose profile image exists, signed in afresh so its cookie cache carries the key. */
async function userWithImage(baseURL) {
  const client = await new BenchClient(baseURL).signUp('Load User')
  const signed = (await client.request('/api/user/profile/image', { method: 'POST', json: { contentType: 'image/png', fileSize: IMAGE_BYTES } })).body
  await putSigned(signed, pngLike(IMAGE_BYTES))
  return client
}

/** Where the load goes: the Worker's own socket when found (see worker-socket.mjs), else wrangler dev's proxy. */
export const loadPath = workerURL => workerURL ? 'the Worker\'s own socket (wrangler dev\'s proxy left out)' : 'wrangler dev\'s proxy (the Worker\'s own socket was not found)'

/** `workerURL`: the Worker's own socket, where the load runs are sent (else through `baseURL`, wrangler dev's proxy). */
export async function measureThroughput(baseURL, { connections = [10, 50], durationSeconds = 10, workerURL = null } = {}) {
  const client = await userWithImage(baseURL)
  const loadURL = workerURL ?? baseURL
  const bare = { name: BARE_ROUTE, path: '/__bench/sign', method: 'GET', bare: true }
  // The bare route runs again before and after each signing endpoint, whose ratio is to the mean of the two bare runs
  // around it: on the shared machine the bare route alone drifts by up to ±15 % over one connection count, and a
  // single bare run at the start would put that drift on whichever route came last.
  const targets = [
    bare,
    // The bare signer plus the profile presign's steps, one more each (bench/server/routes/__bench/split/).
    { name: 'bare + session', path: '/__bench/split/session', method: 'GET', split: true },
    { name: 'bare + session + rate limit', path: '/__bench/split/limit', method: 'GET', split: true },
    { name: 'bare + session + rate limit + storage read', path: '/__bench/split/storage', method: 'GET', split: true },
    { name: 'bare + session + rate limit + storage read + audit send', path: '/__bench/split/audit', method: 'GET', split: true },
    bare,
    { name: 'POST /api/user/profile/image', path: '/api/user/profile/image', method: 'POST', body: JSON.stringify({ contentType: 'image/png', fileSize: IMAGE_BYTES }) },
    bare,
    { name: 'GET /api/user/profile/image', path: '/api/user/profile/image', method: 'GET' },
    bare,
    // Session check only (cookie cache, no SQL, no signing): separates the cost of authentication from signing.
    { name: 'GET /api/user/profile (session only)', path: '/api/user/profile', method: 'GET' },
    // One connection + `select 1`, no auth: the cost of the audit write's database round trip.
    { name: 'GET /__bench/db (connect + select 1)', path: '/__bench/db', method: 'GET' },
  ]
  const optionsFor = (target, count) => ({
    url: `${loadURL}${target.path}`,
    method: target.method,
    connections: count,
    headers: { 'cookie': client.cookieHeader, 'origin': loadURL, 'cf-connecting-ip': client.clientIp, ...(target.body ? { 'content-type': 'application/json' } : {}) },
    body: target.body,
  })
  // Every route once before any is measured: a fresh worker answers with about half the p99 it settles at after its
  // first ~20 s of load, and the bare route, measured first, would otherwise be the only one to get that.
  await client.signIn()
  for (const target of new Set(targets)) await runAutocannon({ ...optionsFor(target, connections[0]), duration: 3 })
  const rows = []
  for (const count of connections) {
    for (const target of targets) {
      // A fresh session per run: the cookie cache must stay valid for the whole run, as it would for a browser.
      await client.signIn()
      const options = optionsFor(target, count)
      await waitForAuditQueue(baseURL) // the previous run's events must not be written during this one
      await runAutocannon({ ...options, duration: 2 }) // warm-up, not recorded
      const result = await runAutocannon({ ...options, duration: durationSeconds })
      rows.push({
        endpoint: target.name,
        connections: count,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        ...(target.split ? { split: true } : {}),
        ...(target.bare ? { bare: true } : {}),
      })
    }
  }
  return compareWithBareRuns(rows)
}
