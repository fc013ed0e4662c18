// Profile image history: what keeping versions costs the profile presign. Run against a worker with the
// default keepVersions (5) and one with PROFILE_IMAGE_KEEP_VERSIONS=0, so docs/benchmarks.md can show them side by side.
import autocannon from 'autocannon'
import { BenchClient } from './session.mjs'
import { pngLike, putSigned } from './storage.mjs'

const IMAGE_BYTES = 1024
const CYCLES = 20

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function timedPresign(client) {
  const started = performance.now()
  const { body, headers } = await client.request('/api/user/profile/image', { method: 'POST', json: { contentType: 'image/png', fileSize: IMAGE_BYTES } })
  return { ms: performance.now() - started, sql: Number(headers.get('x-bench-sql-statements')), signed: body }
}

const stats = async client => (await client.request('/__bench/stats', { cookie: '' })).body

/**
 * Sequential presigns right after a new image was PUT (history on: a copy and an insert) and right after another
 * presign (nothing changed: two storage reads, no SQL), their SQL statements, the Worker's request-body bytes over all the
 * uploads, then the unchanged presign under load.
 */
export async function measureProfilePresign(baseURL, { durationSeconds, connections = 10 }) {
  const client = await new BenchClient(baseURL).signUp('History User')
  const before = await stats(client)
  let signed = (await timedPresign(client)).signed
  const changed = []
  const unchanged = []
  for (let i = 0; i < CYCLES; i++) {
    await putSigned(signed, pngLike(IMAGE_BYTES, i + 1)) // new bytes every cycle
    const afterUpload = await timedPresign(client)
    changed.push(afterUpload)
    const again = await timedPresign(client)
    unchanged.push(again)
    signed = again.signed
  }
  const after = await stats(client)

  await client.signIn()
  const result = await new Promise((resolve, reject) => autocannon({
    url: `${baseURL}/api/user/profile/image`,
    method: 'POST',
    connections,
    duration: durationSeconds,
    headers: { 'cookie': client.cookieHeader, 'origin': baseURL, 'cf-connecting-ip': client.clientIp, 'content-type': 'application/json' },
    body: JSON.stringify({ contentType: 'image/png', fileSize: IMAGE_BYTES }),
  }, (error, answer) => (error ? reject(error) : resolve(answer))))

  return {
    cycles: CYCLES,
    changedMedianMs: Number(median(changed.map(row => row.ms)).toFixed(1)),
    changedSql: median(changed.map(row => row.sql)),
    unchangedMedianMs: Number(median(unchanged.map(row => row.ms)).toFixed(1)),
    unchangedSql: Math.max(...unchanged.map(row => row.sql)),
    workerPayloadBytes: after.otherBodyBytes - before.otherBodyBytes,
    load: { connections, requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts },
  }
}
