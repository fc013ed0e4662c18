import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { AwsClient } from 'aws4fetch'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { multipartPolicy } from '../../shared/utils/policy'
import { api, baseURL, objectExists, signUp, sql, type TestUser } from '../support/api'
import { localS3Credentials } from '../support/storage'
import { completeMultipart, createMultipart, partBytes, sendParts, signParts, type MultipartUpload } from '../support/uploads'

const MiB = 1024 * 1024

/**
 * What storage makes of a PUT: its status, or `closed` when it cut the connection before answering. Storage refuses a
 * wrong-size part from its headers and closes while a large body is still being written, so either can come first.
 */
function putOutcome(url: string, body: Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    // A connection of its own: storage may close one mid-body, and a pooled socket it closed would fail the next PUT.
    const req = request(url, { method: 'PUT', headers: { 'content-length': body.length }, agent: false }, (response) => {
      response.on('error', () => {})
      response.resume()
      resolve(response.statusCode!)
    })
    req.on('socket', socket => socket.on('error', () => {}))
    req.on('error', () => resolve('closed'))
    req.end(body)
  })
}

async function completeOk(user: TestUser, id: string) {
  const response = await completeMultipart(user, id)
  expect(response.status, await response.clone().text()).toBe(200)
  return response
}

async function state(user: TestUser, id: string) {
  const response = await api(`/api/uploads/multipart/${id}`, { cookie: user.cookie })
  expect(response.status, await response.clone().text()).toBe(200)
  return await response.json() as MultipartUpload & { parts: { partNumber: number, etag: string }[] }
}

async function download(user: TestUser, id: string): Promise<Buffer> {
  const response = await api(`/api/uploads/${id}/download-url`, { cookie: user.cookie })
  expect(response.status).toBe(200)
  const { downloadUrl } = await response.json() as { downloadUrl: string }
  const file = await fetch(downloadUrl)
  expect(file.status).toBe(200)
  return Buffer.from(await file.arrayBuffer())
}

/** Three full 5 MiB parts and a short fourth. */
const FILE_SIZE = 3 * 5 * MiB + 12_345
const all = (upload: MultipartUpload) => Array.from({ length: upload.partCount }, (_, index) => index + 1)

describe('multipart uploads', () => {
  it('uploads a file in parts straight to storage and serves back the same bytes', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE, 'video.mp4', 'video/mp4')
    expect(upload).toMatchObject({ partSize: 5 * MiB, partCount: 4, fileSize: FILE_SIZE, expiresIn: expect.any(Number) })
    expect(upload.key).toMatch(/^[0-9a-f-]{36}\.mp4$/)
    const signed = await signParts(user, upload.id, all(upload))
    expect(signed.map(part => part.size)).toEqual([5 * MiB, 5 * MiB, 5 * MiB, 12_345])

    await sendParts(user, upload, bytes, all(upload))
    expect((await state(user, upload.id)).parts.map(part => part.partNumber)).toEqual([1, 2, 3, 4])
    const response = await completeOk(user, upload.id)
    expect(await response.json()).toMatchObject({ id: upload.id, filename: 'video.mp4', contentType: 'video/mp4', size: FILE_SIZE, status: 'committed' })
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
    // A repeated completion (its first answer lost) gives the same answer.
    await completeOk(user, upload.id)
    expect(await sql('select * from multipart_upload_part where upload_id = $1', [upload.id])).toEqual([])
  })

  it('records several finished parts in one request, and completes with them', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    const etags = new Map<number, string>()
    for (const part of await signParts(user, upload.id, [1, 2, 3, 4])) {
      const put = await fetch(part.url, { method: 'PUT', body: partBytes(bytes, upload, part.partNumber) })
      expect(put.status).toBe(200)
      etags.set(part.partNumber, put.headers.get('etag')!)
    }
    const parts = [3, 1, 4, 2].map(partNumber => ({ partNumber, etag: etags.get(partNumber)! }))
    const recorded = await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', cookie: user.cookie, json: { parts } })
    expect(recorded.status, await recorded.clone().text()).toBe(200)
    expect(await recorded.json()).toEqual({ parts: parts.map(part => ({ ...part, etag: part.etag.replaceAll('"', '') })) })
    expect((await state(user, upload.id)).parts).toEqual([1, 2, 3, 4].map(partNumber => ({ partNumber, etag: etags.get(partNumber)!.replaceAll('"', '') })))

    // Recording a part again (sent twice, say) keeps the newer ETag, in a batch as alone.
    const again = await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', cookie: user.cookie, json: { parts: [{ partNumber: 2, etag: '"0123456789abcdef0123456789abcdef"' }] } })
    expect(again.status).toBe(200)
    expect((await state(user, upload.id)).parts.find(part => part.partNumber === 2)?.etag).toBe('0123456789abcdef0123456789abcdef')
    expect((await completeMultipart(user, upload.id)).status).toBe(409)
    const fixed = await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', cookie: user.cookie, json: { parts: [{ partNumber: 2, etag: etags.get(2) }] } })
    expect(fixed.status).toBe(200)
    await completeOk(user, upload.id)
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
  })

  it('resumes after the client drops between parts, sending only the parts not recorded', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, [1, 3])
    // Part 2 reached storage but the client dropped before recording it: it counts as not sent.
    await sendParts(user, upload, bytes, [2], { record: false })

    // A new client knows only the id: it asks what is recorded and sends the rest.
    const resumed = await state(user, upload.id)
    expect(resumed).toMatchObject({ id: upload.id, partSize: upload.partSize, partCount: 4 })
    const recorded = new Set(resumed.parts.map(part => part.partNumber))
    const missing = all(upload).filter(partNumber => !recorded.has(partNumber))
    expect(missing).toEqual([2, 4])
    expect(await sendParts(user, upload, bytes, missing)).toBe(2)

    await completeOk(user, upload.id)
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
  })

  it('has storage refuse a part whose size differs from the signed one', async () => {
    const user = await signUp()
    const upload = await createMultipart(user, FILE_SIZE)
    const [first, last] = await signParts(user, upload.id, [1, 4])
    for (const [part, size] of [[first!, 5 * MiB - 1], [first!, 5 * MiB + 1]] as const) {
      const outcome = await putOutcome(part.url, randomBytes(size))
      expect(outcome === 'closed' || outcome >= 400, `part ${part.partNumber} with ${size} bytes: ${outcome}`).toBe(true)
    }
    // A small body is read whole before the answer, which is then always the signature refusal.
    expect(await putOutcome(last!.url, randomBytes(12_344))).toBe(403)
    expect(await putOutcome(last!.url, randomBytes(12_346))).toBe(403)
    // The same URLs take the signed sizes.
    expect(await putOutcome(first!.url, randomBytes(5 * MiB))).toBe(200)
    expect(await putOutcome(last!.url, randomBytes(12_345))).toBe(200)
  })

  it('refuses completing with parts missing or a wrong ETag, committing nothing', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, [1, 2, 4])
    const missing = await completeMultipart(user, upload.id)
    expect(missing.status).toBe(409)
    expect(await missing.json()).toMatchObject({ statusCode: 409, message: expect.stringContaining('3'), data: { missingParts: [3] } })

    await sendParts(user, upload, bytes, [3], { record: false })
    const wrongEtag = await api(`/api/uploads/multipart/${upload.id}/parts/3`, { method: 'PUT', cookie: user.cookie, json: { etag: '"0123456789abcdef0123456789abcdef"' } })
    expect(wrongEtag.status).toBe(200)
    const refused = await completeMultipart(user, upload.id)
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ statusCode: 409, message: expect.any(String) })
    expect(await sql('select status from upload where id = $1', [upload.id])).toEqual([{ status: 'pending' }])
    expect(await objectExists(upload.key)).toBe(false)

    // The upload is still usable: sending the part again records its real ETag.
    await sendParts(user, upload, bytes, [3])
    await completeOk(user, upload.id)
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
  })

  it.each([
    ['part number 0', 'sign', { partNumbers: [0] }],
    ['a part number past the last part', 'sign', { partNumbers: [5] }],
    ['a part number past 10,000', 'sign', { partNumbers: [10_001] }],
    ['a fractional part number', 'sign', { partNumbers: [1.5] }],
    ['no part numbers', 'sign', { partNumbers: [] }],
    ['too many part numbers at once', 'sign', { partNumbers: Array.from({ length: multipartPolicy.maxPartsPerSigningRequest + 1 }, () => 1) }],
    ['recording a part past the last', 'record', { partNumber: 5, etag: '"0123456789abcdef0123456789abcdef"' }],
    ['recording a malformed ETag', 'record', { partNumber: 1, etag: 'x"\r\nSet-Cookie: a=b' }],
    ['recording no ETag', 'record', { partNumber: 1 }],
    ['recording no parts in a batch', 'recordBatch', { parts: [] }],
    ['recording a batch without a parts list', 'recordBatch', { partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }],
    ['recording a part past the last in a batch', 'recordBatch', { parts: [{ partNumber: 1, etag: 'abc' }, { partNumber: 5, etag: 'abc' }] }],
    ['recording the same part twice in a batch', 'recordBatch', { parts: [{ partNumber: 1, etag: 'abc' }, { partNumber: 1, etag: 'def' }] }],
    ['recording a malformed ETag in a batch', 'recordBatch', { parts: [{ partNumber: 1, etag: 'x"\r\nSet-Cookie: a=b' }] }],
    ['recording too many parts at once', 'recordBatch', { parts: Array.from({ length: multipartPolicy.maxPartsPerSigningRequest + 1 }, (_, index) => ({ partNumber: index + 1, etag: 'abc' })) }],
  ] as const)('refuses %s with a JSON 400', async (_label, action, body) => {
    const user = await signUp()
    const upload = await createMultipart(user, FILE_SIZE)
    const response = action === 'sign'
      ? await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'POST', cookie: user.cookie, json: body })
      : action === 'recordBatch'
        ? await api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', cookie: user.cookie, json: body })
        : await api(`/api/uploads/multipart/${upload.id}/parts/${(body as { partNumber: number }).partNumber}`, { method: 'PUT', cookie: user.cookie, json: body })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.any(String) })
    expect(await sql('select count(*)::int as parts from multipart_upload_part where upload_id = $1', [upload.id])).toEqual([{ parts: 0 }])
  })

  it.each([
    ['a size over 5 GiB', { filename: 'a.bin', contentType: 'application/octet-stream', fileSize: multipartPolicy.maxBytes + 1 }, 400],
    ['a type outside the policy', { filename: 'a.exe', contentType: 'application/x-msdownload', fileSize: FILE_SIZE }, 400],
    ['a file over the quota', { filename: 'a.bin', contentType: 'application/octet-stream', fileSize: uploadsConfig.quotaBytes + 1 }, 413],
  ])('refuses to start an upload with %s', async (_label, body, status) => {
    const user = await signUp()
    const response = await api('/api/uploads/multipart', { method: 'POST', cookie: user.cookie, json: body })
    expect(response.status).toBe(status)
    expect(await response.json()).toMatchObject({ statusCode: status, message: expect.any(String) })
  })

  it('answers another user\'s upload id with 404 everywhere and changes nothing', async () => {
    const owner = await signUp()
    const other = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(owner, FILE_SIZE)
    await sendParts(owner, upload, bytes, all(upload))
    const etag = '"0123456789abcdef0123456789abcdef"'
    const attempts = [
      api(`/api/uploads/multipart/${upload.id}`, { cookie: other.cookie }),
      api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'POST', cookie: other.cookie, json: { partNumbers: [1] } }),
      api(`/api/uploads/multipart/${upload.id}/parts/1`, { method: 'PUT', cookie: other.cookie, json: { etag } }),
      api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', cookie: other.cookie, json: { parts: [{ partNumber: 1, etag }] } }),
      api(`/api/uploads/multipart/${upload.id}/complete`, { method: 'POST', cookie: other.cookie }),
      api(`/api/uploads/multipart/${upload.id}`, { method: 'DELETE', cookie: other.cookie }),
      api('/api/uploads/multipart/not-a-uuid', { cookie: owner.cookie }),
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ statusCode: 404, message: 'Upload not found' })
    }
    expect((await api(`/api/uploads/multipart/${upload.id}`)).status).toBe(401)
    const anonymous = [
      api('/api/uploads/multipart', { method: 'POST', json: { filename: 'a.bin', contentType: 'application/octet-stream', fileSize: FILE_SIZE } }),
      api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'POST', json: { partNumbers: [1] } }),
      api(`/api/uploads/multipart/${upload.id}/parts/1`, { method: 'PUT', json: { etag } }),
      api(`/api/uploads/multipart/${upload.id}/parts`, { method: 'PUT', json: { parts: [{ partNumber: 1, etag }] } }),
      api(`/api/uploads/multipart/${upload.id}/complete`, { method: 'POST' }),
      api(`/api/uploads/multipart/${upload.id}`, { method: 'DELETE' }),
    ]
    for (const response of await Promise.all(anonymous)) {
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ statusCode: 401 })
    }
    expect((await state(owner, upload.id)).parts).toHaveLength(4)
    await completeOk(owner, upload.id)
  })

  it('aborts: storage drops the parts and the row goes, so nothing is left in the bucket', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, [1, 2])
    const [later] = await signParts(user, upload.id, [3])
    const response = await api(`/api/uploads/multipart/${upload.id}`, { method: 'DELETE', cookie: user.cookie })
    expect(response.status).toBe(200)
    expect(await sql('select id from upload where id = $1', [upload.id])).toEqual([])
    // The multipart upload no longer exists in storage: a part URL signed before the abort writes nothing.
    expect((await fetch(later!.url, { method: 'PUT', body: partBytes(bytes, upload, 3) })).status).toBe(404)
    expect(await objectExists(upload.key)).toBe(false)
    expect((await completeMultipart(user, upload.id)).status).toBe(404)
  })

  it('an abort after storage already assembled the parts (a /complete racing it) leaves no object behind', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    const all = Array.from({ length: upload.partCount }, (_, index) => index + 1)
    await sendParts(user, upload, bytes, all)
    // Storage assembles the parts, as a /complete does, but no commit follows.
    const [row] = await sql<{ multipart_id: string }>('select multipart_id from upload where id = $1', [upload.id])
    const target = new URL((await signParts(user, upload.id, [1]))[0]!.url)
    target.search = new URLSearchParams({ uploadId: row!.multipart_id }).toString()
    const parts = (await state(user, upload.id)).parts
      .map(part => `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${part.etag}</ETag></Part>`).join('')
    const s3 = new AwsClient({ ...localS3Credentials(), service: 's3', region: 'auto' })
    const assembled = await s3.fetch(target.toString(), { method: 'POST', body: `<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>` })
    expect(assembled.status, await assembled.clone().text()).toBe(200)
    expect(await objectExists(upload.key)).toBe(true)

    expect((await api(`/api/uploads/multipart/${upload.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await objectExists(upload.key)).toBe(false)
    expect(await sql('select id from upload where id = $1', [upload.id])).toEqual([])
  })

  it('DELETE /api/uploads/:id of an upload in parts aborts it in storage too', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, [1])
    const [later] = await signParts(user, upload.id, [2])
    expect((await api(`/api/uploads/${upload.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect((await fetch(later!.url, { method: 'PUT', body: partBytes(bytes, upload, 2) })).status).toBe(404)
    expect(await objectExists(upload.key)).toBe(false)
  })

  it('activity shows an upload in parts once, by name, however many batches of part URLs it signed', async () => {
    const user = await signUp()
    const upload = await createMultipart(user, FILE_SIZE, 'holiday video.bin')
    await signParts(user, upload.id, [1, 2])
    await signParts(user, upload.id, [3])
    await signParts(user, upload.id, [4])
    await expect.poll(async () => (await sql('select id from presign_event where user_id = $1', [user.id])).length, { timeout: 30_000 }).toBe(4)
    const activity = await (await api('/api/user/activity', { cookie: user.cookie })).json() as { items: { action: string, filename: string | null, count: number }[] }
    expect(activity.items.map(({ action, filename, count }) => ({ action, filename, count }))).toEqual([{ action: 'put', filename: 'holiday video.bin', count: 1 }])
  })

  it('is aborted by the cleanup cron once expired, leaving nothing in the bucket', async () => {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, [1, 2])
    const [later] = await signParts(user, upload.id, [3])
    await sql(`update upload set created_at = now() - interval '3 days', expires_at = now() - interval '2 days' where id = $1`, [upload.id])

    expect((await fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent(uploadsConfig.cleanupCron)}`)).status).toBe(200)
    await expect.poll(async () => (await sql('select id from upload where id = $1', [upload.id])).length, { timeout: 20_000 }).toBe(0)
    expect((await fetch(later!.url, { method: 'PUT', body: partBytes(bytes, upload, 3) })).status).toBe(404)
    expect(await objectExists(upload.key)).toBe(false)
  })
})

/** A connection of the test's own holding a lock (taken by `statement`) until `release`. */
async function holdLock(statement: string, values: unknown[] = []) {
  const blocker = new pg.Client({ connectionString: inject('databaseUrl') })
  await blocker.connect()
  await blocker.query('begin')
  await blocker.query(statement, values)
  let released: Promise<void> | undefined
  return {
    /** The pids of the worker's statements starting with `prefix` that wait on a lock. */
    waiting: async (prefix: string) => (await sql<{ pid: number }>(`select pid from pg_stat_activity where application_name = 'gallery-worker'
      and datname = current_database() and wait_event_type = 'Lock' and query like $1`, [`${prefix}%`])).map(row => row.pid),
    release: () => released ??= blocker.end(),
  }
}

describe('completing an upload in parts more than once', () => {
  const partRows = (id: string) => sql('select part_number from multipart_upload_part where upload_id = $1', [id])

  async function readyUpload() {
    const user = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, bytes, all(upload))
    return { user, upload, bytes }
  }

  it('parallel completes all answer the committed upload', async () => {
    const { user, upload, bytes } = await readyUpload()
    // All three get as far as committing the row, then go one at a time.
    const hold = await holdLock('select id from upload where id = $1 for update', [upload.id])
    let responses: Response[]
    try {
      const pending = Array.from({ length: 3 }, () => completeMultipart(user, upload.id))
      await expect.poll(async () => (await hold.waiting('update "upload"')).length, { timeout: 30_000 }).toBe(3)
      await hold.release()
      responses = await Promise.all(pending)
    }
    finally {
      await hold.release()
    }
    const bodies = await Promise.all(responses.map(async response => ({ status: response.status, body: await response.json() })))
    for (const { status, body } of bodies) {
      expect(status, JSON.stringify(body)).toBe(200)
      expect(body).toEqual(bodies[0]!.body)
    }
    expect(bodies[0]!.body).toMatchObject({ id: upload.id, status: 'committed' })
    expect(await partRows(upload.id)).toEqual([])
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
  })

  it('a complete whose connection died answers 503; the retry answers the committed upload and its part rows are gone', async () => {
    const { user, upload, bytes } = await readyUpload()
    // The commit's part delete waits here (reads still pass); then its connection dies.
    const hold = await holdLock('lock table multipart_upload_part in exclusive mode')
    let first: Response
    try {
      const pending = completeMultipart(user, upload.id)
      await expect.poll(async () => (await hold.waiting('delete from "multipart_upload_part"')).length, { timeout: 30_000 }).toBe(1)
      const [pid] = await hold.waiting('delete from "multipart_upload_part"')
      await sql('select pg_terminate_backend($1)', [pid])
      first = await pending
    }
    finally {
      await hold.release()
    }
    expect(first.status).toBe(503)
    expect(await first.json()).toMatchObject({ statusCode: 503 })
    const retried = await completeOk(user, upload.id)
    expect(await retried.json()).toMatchObject({ id: upload.id, status: 'committed', size: FILE_SIZE })
    expect(await partRows(upload.id)).toEqual([])
    expect((await download(user, upload.id)).equals(bytes)).toBe(true)
  })

  it('DELETE /api/uploads/:id drops the part rows of an upload in parts at once', async () => {
    const user = await signUp()
    const upload = await createMultipart(user, FILE_SIZE)
    await sendParts(user, upload, randomBytes(FILE_SIZE), [1, 2])
    expect(await partRows(upload.id)).toHaveLength(2)
    expect((await api(`/api/uploads/${upload.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await partRows(upload.id)).toEqual([])
  })
})
