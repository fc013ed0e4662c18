import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { multipartPolicy } from '../../shared/utils/policy'
import { api, signUp, sql, type TestUser } from '../support/api'
import { committedUpload, createMultipart, requestUpload, sendParts } from '../support/uploads'

const MiB = 1024 * 1024
/** Three full 5 MiB parts and a short fourth. */
const FILE_SIZE = 3 * 5 * MiB + 12_345

interface PendingItem { id: string, filename: string, fileSize: number, partCount: number, recordedParts: number, recordedBytes: number, percent: number, createdAt: string, expiresIn: number }

async function pending(user: TestUser, query = '') {
  const response = await api(`/api/uploads/multipart${query}`, { cookie: user.cookie })
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json() as { items: PendingItem[] }).items
}

async function usedBytes(user: TestUser) {
  const response = await api('/api/uploads/usage', { cookie: user.cookie })
  return (await response.json() as { usedBytes: number }).usedBytes
}

describe('GET /api/uploads/multipart', () => {
  it('lists the caller\'s own unfinished uploads in parts, newest first, with how much storage holds of each', async () => {
    const owner = await signUp()
    const other = await signUp()
    const bytes = randomBytes(FILE_SIZE)
    const older = await createMultipart(owner, FILE_SIZE, 'big.iso')
    await sendParts(owner, older, bytes, [1, 4]) // a full part and the short last one
    const newer = await createMultipart(owner, FILE_SIZE, 'second.iso')
    await requestUpload(owner, { filename: 'single.txt', contentType: 'text/plain', fileSize: 10 }) // a single PUT, pending
    await committedUpload(owner, 'done.txt', new Uint8Array(randomBytes(20)))
    const theirs = await createMultipart(other, FILE_SIZE, 'theirs.iso')

    const items = await pending(owner)
    expect(items.map(item => item.id)).toEqual([newer.id, older.id])
    expect(items[1]).toEqual({
      id: older.id, filename: 'big.iso', contentType: 'application/octet-stream', fileSize: FILE_SIZE, partSize: 5 * MiB, partCount: 4,
      recordedParts: 2, recordedBytes: 5 * MiB + 12_345, percent: Math.floor(((5 * MiB + 12_345) / FILE_SIZE) * 100),
      createdAt: expect.any(String), expiresIn: expect.any(Number),
    })
    expect(items[0]).toMatchObject({ filename: 'second.iso', recordedParts: 0, recordedBytes: 0, percent: 0 })
    expect((await pending(other)).map(item => item.id)).toEqual([theirs.id])
  })

  it('leaves out aborted and expired uploads; the usage still counts an expired one until the cleanup takes it', async () => {
    const user = await signUp()
    const kept = await createMultipart(user, FILE_SIZE, 'kept.iso')
    const aborted = await createMultipart(user, FILE_SIZE, 'aborted.iso')
    const expired = await createMultipart(user, FILE_SIZE, 'expired.iso')
    expect((await api(`/api/uploads/multipart/${aborted.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    await sql('update upload set expires_at = now() - interval \'1 second\' where id = $1', [expired.id])

    const items = await pending(user)
    expect(items.map(item => item.id)).toEqual([kept.id])
    // The expired one still counts until the cleanup takes it (within its margin): only live ones can be resumed.
    expect(await usedBytes(user)).toBe(2 * FILE_SIZE)
    expect((await api(`/api/uploads/multipart/${kept.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await pending(user)).toEqual([])
    expect(await usedBytes(user)).toBe(FILE_SIZE)
  })

  it('caps the list at limit', async () => {
    const user = await signUp()
    await createMultipart(user, FILE_SIZE, 'a.iso')
    const newest = await createMultipart(user, FILE_SIZE, 'b.iso')
    expect((await pending(user, '?limit=1')).map(item => item.id)).toEqual([newest.id])
    expect(await pending(user, `?limit=${multipartPolicy.maxPendingListed}`)).toHaveLength(2)
  })

  it.each(['?limit=0', `?limit=${multipartPolicy.maxPendingListed + 1}`, '?limit=abc', '?limit=1.5', '?limit=-1'])('answers %s with a JSON 400', async (query) => {
    const user = await signUp()
    const response = await api(`/api/uploads/multipart${query}`, { cookie: user.cookie })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: 400, message: `limit must be a whole number from 1 to ${multipartPolicy.maxPendingListed}` })
  })

  it('answers 401 without a session', async () => {
    const response = await api('/api/uploads/multipart')
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ statusCode: 401, message: expect.any(String) })
  })
})
