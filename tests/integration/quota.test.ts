import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { uploadPolicy } from '../../shared/utils/policy'
import { api, signUp, sql } from '../support/api'

// The per-user storage quota over committed + pending uploads, and the cap on pending ones, enforced where the pending
// row is inserted, so parallel requests cannot all slip past one stale check.
const requestUpload = (cookie: string, fileSize: number) => api('/api/uploads/pre-signed-url', {
  method: 'POST', cookie, json: { filename: 'big.bin', contentType: 'application/octet-stream', fileSize },
})

describe('storage quota', () => {
  it('lets 20 parallel maximum-size requests of one user fill the quota exactly, and refuses the rest with used / limit', async () => {
    const user = await signUp()
    const size = uploadPolicy.maxBytes
    const fits = Math.floor(uploadsConfig.quotaBytes / size)
    const responses = await Promise.all(Array.from({ length: 20 }, () => requestUpload(user.cookie, size)))
    const statuses = responses.map(response => response.status)
    expect(statuses.filter(status => status === 200)).toHaveLength(fits)
    expect(statuses.filter(status => status === 413)).toHaveLength(20 - fits)
    const refusal = await responses[statuses.indexOf(413)]!.json()
    expect(refusal).toMatchObject({ statusCode: 413, message: expect.stringMatching(/^Not enough storage left: \d+\.\d MB of 1\.0 GB used, and this file needs 100\.0 MB/) })
    const [row] = await sql<{ total: string, count: string }>('select sum(declared_size) as total, count(*) from upload where owner_id = $1', [user.id])
    expect(Number(row!.count)).toBe(fits)
    expect(Number(row!.total)).toBeLessThanOrEqual(uploadsConfig.quotaBytes)

    const usage = await (await api('/api/uploads/usage', { cookie: user.cookie })).json()
    expect(usage).toEqual({ usedBytes: fits * size, quotaBytes: uploadsConfig.quotaBytes, pendingCount: fits, pendingCap: uploadsConfig.maxPendingUploads })
  })

  it('does not count other users, deleted uploads or pending ones long expired', async () => {
    const user = await signUp()
    const other = await signUp()
    await sql(`insert into upload (id, owner_id, key, original_filename, content_type, declared_size, status, expires_at) values
      ($1, $3, $1 || '.bin', 'x', 'application/octet-stream', $4, 'committed', now() + interval '1 day'),
      ($2, $5, $2 || '.bin', 'x', 'application/octet-stream', $4, 'deleted', now() + interval '1 day'),
      ($6, $5, $6 || '.bin', 'x', 'application/octet-stream', $4, 'pending', now() - interval '3 days')`,
    [randomUUID(), randomUUID(), other.id, uploadsConfig.quotaBytes, user.id, randomUUID()])
    expect((await requestUpload(user.cookie, 1000)).status).toBe(200)
    expect(await (await api('/api/uploads/usage', { cookie: user.cookie })).json()).toMatchObject({ usedBytes: 1000, pendingCount: 1 })
  })

  it('refuses a new upload while the user has the maximum of pending ones', async () => {
    const user = await signUp()
    const values = Array.from({ length: uploadsConfig.maxPendingUploads - 1 }, () => randomUUID())
    await sql(`insert into upload (id, owner_id, key, original_filename, content_type, declared_size, expires_at)
      select id, $1, id || '.txt', 'x.txt', 'text/plain', 1, now() + interval '1 day' from unnest($2::text[]) as id`, [user.id, values])
    expect((await requestUpload(user.cookie, 1)).status).toBe(200)
    const refused = await requestUpload(user.cookie, 1)
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ statusCode: 409, message: expect.stringMatching(/50 uploads still in progress/) })
  })
})
