// SQL statements per request, counted by the database driver inside the Worker (bench/server/counters.ts): those sent
// before the response (the critical path, from the x-bench-sql-statements header) and those sent after it
// (deferred work, from the Worker's running total); the storage binding calls made before the response
// (x-bench-storage-calls); and what the audit queue's consumer sends per 100 events.
import pg from 'pg'
import { BenchClient } from './session.mjs'
import { pngLike, putSigned } from './storage.mjs'

const PNG_BYTES = 1024

async function totalStatements(client) {
  return (await client.request('/__bench/stats', { cookie: '' })).body.sqlStatements
}

async function until(condition, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** 100 download URLs signed, then the consumer's statements until all 100 rows are in presign_event. */
export async function countConsumerStatements(baseURL, databaseUrl, events = 100) {
  const client = await new BenchClient(baseURL).signUp('Consumer Counter')
  const signed = (await client.request('/api/user/profile/image', { method: 'POST', json: { contentType: 'image/png', fileSize: PNG_BYTES } })).body
  await putSigned(signed, pngLike(PNG_BYTES))
  const db = new pg.Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    const rows = async () => Number((await db.query('select count(*) from presign_event')).rows[0].count)
    const stats = async () => (await client.request('/__bench/stats', { cookie: '' })).body
    // Start from a drained queue: every event received so far is written.
    await until(async () => (await rows()) === (await stats()).auditEvents, 'the audit queue did not drain')
    const before = await stats()
    const rowsBefore = await rows()
    for (let i = 0; i < events; i += 10) {
      await Promise.all(Array.from({ length: 10 }, () => client.request('/api/user/profile/image')))
    }
    await until(async () => (await rows()) - rowsBefore >= events, `${events} audit rows did not arrive`)
    const after = await stats()
    const received = after.auditEvents - before.auditEvents
    const statements = after.consumerStatements - before.consumerStatements
    return { events: received, statements, statementsPer100Events: Number((statements / received * 100).toFixed(1)) }
  }
  finally {
    await db.end()
  }
}

async function measure(client, label, path, options = {}) {
  const before = await totalStatements(client)
  const { body, headers } = await client.request(path, options)
  const criticalPath = Number(headers.get('x-bench-sql-statements'))
  const storageCalls = Number(headers.get('x-bench-storage-calls'))
  // Deferred work starts once the response is out; give it time to finish before reading the total.
  await new Promise(resolve => setTimeout(resolve, 300))
  const afterResponse = (await totalStatements(client)) - before - criticalPath
  return { row: { endpoint: label, criticalPath, afterResponse, storageCalls }, body }
}

export async function countStatements(baseURL) {
  const client = await new BenchClient(baseURL).signUp('SQL Counter')
  const rows = []
  const run = async (...args) => {
    const { row, body } = await measure(client, ...args)
    rows.push(row)
    return body
  }
  const imageBody = { contentType: 'image/png', fileSize: PNG_BYTES, originalFilename: 'avatar.png' }

  const first = await run('POST /api/user/profile/image (first: key assigned)', '/api/user/profile/image', { method: 'POST', json: imageBody })
  await putSigned(first, pngLike(PNG_BYTES))
  // History on: the first presign after a new image keeps the old one (a copy in storage, a row); one after that finds
  // it kept already (two HEADs, no SQL), as every presign does while the image stays the same.
  await run('POST /api/user/profile/image (after a new upload: version kept)', '/api/user/profile/image', { method: 'POST', json: imageBody })
  await run('POST /api/user/profile/image (repeat)', '/api/user/profile/image', { method: 'POST', json: imageBody })
  await run('GET /api/user/profile/image', '/api/user/profile/image')
  await run('POST /api/user/profile/image (cookie cache expired)', '/api/user/profile/image', { method: 'POST', json: imageBody, cookie: client.tokenOnlyCookieHeader })
  await run('GET /api/user/profile', '/api/user/profile')

  const signed = await run('POST /api/uploads/pre-signed-url', '/api/uploads/pre-signed-url', { method: 'POST', json: { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 } })
  await putSigned(signed, Buffer.from('hello'))
  await run('POST /api/uploads/:id/complete', `/api/uploads/${signed.uploadId}/complete`, { method: 'POST' })
  await run('GET /api/uploads', '/api/uploads')
  await run('GET /api/uploads/:id/download-url', `/api/uploads/${signed.uploadId}/download-url`)
  await run('DELETE /api/uploads/:id', `/api/uploads/${signed.uploadId}`, { method: 'DELETE' })
  await run('DELETE /api/user/profile/image', '/api/user/profile/image', { method: 'DELETE' })
  // A rename drops the session cookie cache, so the request after it reads session and user again.
  await run('PATCH /api/user/profile', '/api/user/profile', { method: 'PATCH', json: { name: 'SQL Counter II' } })
  await run('GET /api/user/profile (right after a rename)', '/api/user/profile')
  await run('GET /__bench/sign (bare signing route)', '/__bench/sign', { cookie: '' })
  return rows
}
