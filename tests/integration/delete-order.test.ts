import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { api, objectExists, signUp, sql, type TestUser } from '../support/api'

import { committedUpload } from '../support/uploads'

const FAULT_MESSAGE = 'fault injected by delete-order.test'

const deleteUpload = (user: TestUser, id: string) => api(`/api/uploads/${id}`, { method: 'DELETE', cookie: user.cookie })
const listedIds = async (user: TestUser) =>
  ((await (await api('/api/uploads', { cookie: user.cookie })).json()).items as { id: string }[]).map(item => item.id)

/** A real database fault: a trigger that makes Postgres refuse the given statements on one `upload` row. */
const faults: string[] = []
async function failOn(uploadId: string, operations: 'update or delete' | 'delete') {
  expect(uploadId).toMatch(/^[0-9a-f-]{36}$/) // it is spliced into DDL, which takes no parameters
  const name = `fail_upload_${uploadId.replaceAll('-', '_')}`
  faults.push(name)
  await sql(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${FAULT_MESSAGE}'; end $$`)
  await sql(`create trigger ${name} before ${operations} on upload for each row when (old.id = '${uploadId}') execute function ${name}()`)
}
async function removeFaults() {
  for (const name of faults.splice(0)) {
    await sql(`drop trigger if exists ${name} on upload`)
    await sql(`drop function if exists ${name}()`)
  }
}
afterEach(removeFaults)

async function expectOpaqueError(response: Response) {
  expect(response.status).toBeGreaterThanOrEqual(400)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const text = await response.text()
  expect(JSON.parse(text)).toMatchObject({ statusCode: response.status, message: expect.any(String) })
  expect(text).not.toContain(FAULT_MESSAGE)
  expect(text).not.toMatch(/"stack"|plpgsql|P0001|"upload"\./)
}

describe('DELETE /api/uploads/:id: the row goes before the object', () => {
  it('leaves the upload listed and downloadable when the database refuses to change its row', async () => {
    const user = await signUp()
    const bytes = randomBytes(256)
    const signed = await committedUpload(user, 'keep.txt', bytes)
    await failOn(signed.uploadId, 'update or delete')

    await expectOpaqueError(await deleteUpload(user, signed.uploadId))
    await removeFaults()

    expect(await listedIds(user)).toEqual([signed.uploadId])
    const response = await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })
    expect(response.status).toBe(200)
    const download = await fetch((await response.json()).downloadUrl)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('removes the object and unlists the row when it succeeds', async () => {
    const user = await signUp()
    const signed = await committedUpload(user, 'keep.txt', randomBytes(16))

    expect((await deleteUpload(user, signed.uploadId)).status).toBe(200)
    expect(await objectExists(signed.key)).toBe(false)
    expect(await listedIds(user)).toEqual([])
    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(404)
  })

  it('leaves a tombstone for the cleanup when the row of an expired upload cannot be removed', async () => {
    const user = await signUp()
    const signed = await committedUpload(user, 'keep.txt', randomBytes(16))
    await sql(`update upload set expires_at = now() - interval '2 days' where id = $1`, [signed.uploadId])
    await failOn(signed.uploadId, 'delete')

    await expectOpaqueError(await deleteUpload(user, signed.uploadId))
    await removeFaults()

    expect(await listedIds(user)).toEqual([])
    expect((await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(404)
    expect(await objectExists(signed.key)).toBe(false)
    // Exactly what the cleanup task removes (or it already has, should a cron run have come in between).
    const rows = await sql<{ eligible: boolean }>(`select status = 'deleted' and expires_at < now() - make_interval(secs => $2) as eligible
      from upload where id = $1`, [signed.uploadId, uploadsConfig.orphanMarginSeconds])
    expect(rows.every(row => row.eligible)).toBe(true)
  })
})
