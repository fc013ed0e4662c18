import { AwsClient } from 'aws4fetch'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { api, baseURL, objectExists, signUp, sql, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import { localS3Credentials, type SignedUpload } from '../support/storage'
import { putSigned, requestProfileUpload } from '../support/uploads'

// Profile image history with the default keepVersions (5), on the local S3 endpoint: versions are copies
// made inside storage, so every byte checked here was written by the browser-side PUTs only.

const image = (n: number) => makePng(2 + n, [n * 20, 255 - n * 20, n])

interface Version { id: string, current: boolean, filename: string, contentType: string, size: number, createdAt: string, thumbnailUrl: string }

const uploadUrl = (user: TestUser, bytes: Uint8Array, originalFilename: string) =>
  requestProfileUpload(user, { contentType: 'image/png', fileSize: bytes.length, originalFilename })

async function upload(user: TestUser, bytes: Uint8Array<ArrayBuffer>, filename: string) {
  return await put(await uploadUrl(user, bytes, filename), bytes)
}

/** PUTs through an upload URL; `expected` is storage's answer (412: the key changed since the URL was signed). */
async function put(signed: SignedUpload, bytes: Uint8Array<ArrayBuffer>, expected = 200) {
  const response = await putSigned(signed, bytes)
  await response.arrayBuffer()
  expect(response.status).toBe(expected)
  return signed
}

async function versions(user: TestUser): Promise<Version[]> {
  const response = await api('/api/user/profile/image/versions', { cookie: user.cookie })
  expect(response.status).toBe(200)
  return (await response.json() as { items: Version[] }).items
}

async function bytesAt(url: string) {
  const response = await fetch(url)
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

async function current(user: TestUser) {
  const shown = await (await api('/api/user/profile/image', { cookie: user.cookie })).json() as { hasImage: boolean, downloadUrl?: string, filename?: string }
  return shown.hasImage ? { filename: shown.filename, bytes: await bytesAt(shown.downloadUrl!) } : null
}

const restore = (user: TestUser, id: string) => api(`/api/user/profile/image/versions/${id}/restore`, { method: 'POST', cookie: user.cookie })
const remove = (user: TestUser, id: string) => api(`/api/user/profile/image/versions/${id}`, { method: 'DELETE', cookie: user.cookie })
const versionRows = (user: TestUser) => sql<{ key: string }>('select key from profile_image_version where owner_id = $1 order by created_at desc', [user.id])

/** Every object under the user's `<key>/v/`, listed over the S3 endpoint with the storage keys (not through the app). */
async function storedVersionObjects(user: TestUser): Promise<string[]> {
  const [{ image }] = await sql<{ image: string }>('select image from "user" where id = $1', [user.id]) as [{ image: string }]
  const url = new URL(`${baseURL}/cdn-cgi/local/r2/s3/gallery`)
  url.searchParams.set('list-type', '2')
  url.searchParams.set('prefix', `${image}/v/`)
  const response = await new AwsClient({ ...localS3Credentials(), service: 's3', region: 'auto' }).fetch(url)
  expect(response.status).toBe(200)
  return [...(await response.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map(match => match[1]!)
}

async function keptBytes(user: TestUser) {
  return await Promise.all((await versions(user)).map(version => bytesAt(version.thumbnailUrl)))
}

describe('keeping earlier profile images', () => {
  it('three uploads leave two versions, newest first, with the right bytes', async () => {
    const user = await signUp()
    expect(await versions(user)).toEqual([])
    expect(await (await api('/api/user/profile/image/versions', { cookie: user.cookie })).json()).toEqual({ items: [], expiresIn: 300, keepVersions: 5 })
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    await upload(user, image(3), 'three.png')

    const kept = await versions(user)
    expect(kept.map(version => version.filename)).toEqual(['two.png', 'one.png'])
    expect(kept[0]).toMatchObject({ contentType: 'image/png', size: image(2).length })
    expect(new URL(kept[0]!.thumbnailUrl).searchParams.get('X-Amz-Expires')).toBe('300')
    expect((await bytesAt(kept[0]!.thumbnailUrl)).equals(image(2))).toBe(true)
    expect((await bytesAt(kept[1]!.thumbnailUrl)).equals(image(1))).toBe(true)
    expect((await current(user))!.bytes.equals(image(3))).toBe(true)
    const rows = await versionRows(user)
    expect(rows.every(row => row.key.startsWith(`${(rows[0]!.key.split('/v/')[0])}/v/`))).toBe(true)
  })

  it('adds no version for a URL never used or the same bytes uploaded again', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await uploadUrl(user, image(2), 'unused.png')
    await uploadUrl(user, image(2), 'unused-again.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png'])
    await upload(user, image(1), 'one.png') // same bytes as the version just kept
    await upload(user, image(2), 'two.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png'])
  })

  it('restores a version: its bytes become current, the replaced image becomes a version', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    await upload(user, image(3), 'three.png')
    const first = (await versions(user)).find(version => version.filename === 'one.png')!

    const response = await restore(user, first.id)
    expect(response.status, await response.clone().text()).toBe(200)
    expect(await response.json()).toEqual({ id: first.id, restored: true })
    const now = await current(user)
    expect(now!.bytes.equals(image(1))).toBe(true)
    expect(now!.filename).toBe('one.png')
    // The restored version stays in the history, moved to the top (it is the current image, kept).
    const kept = await versions(user)
    expect(kept.map(version => version.filename)).toEqual(['one.png', 'three.png', 'two.png'])
    expect(kept[0]!.id).toBe(first.id)
    // Only the copy of what the key holds now is marked current.
    expect(kept.map(version => version.current)).toEqual([true, false, false])
    expect((await bytesAt(kept[0]!.thumbnailUrl)).equals(image(1))).toBe(true)
    expect((await bytesAt(kept[1]!.thumbnailUrl)).equals(image(3))).toBe(true)
    // Restoring it again changes nothing and adds no version.
    expect((await restore(user, first.id)).status).toBe(200)
    expect((await current(user))!.bytes.equals(image(1))).toBe(true)
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png', 'three.png', 'two.png'])
    // Replaced by an upload, the restored image is still in the history (its copy there, no second one).
    await upload(user, image(4), 'four.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png', 'three.png', 'two.png'])
    expect((await versions(user)).map(version => version.current)).toEqual([false, false, false])
  })

  it('restores the oldest of a full history: it is not trimmed, its bytes become current, the list stays at the limit', async () => {
    const user = await signUp()
    for (let n = 0; n < 6; n++) await upload(user, image(n), `${n}.png`)
    const oldest = (await versions(user)).at(-1)!
    expect(oldest.filename).toBe('0.png')

    const response = await restore(user, oldest.id)
    expect(response.status, await response.clone().text()).toBe(200)
    expect((await current(user))!.bytes.equals(image(0))).toBe(true)
    expect((await versions(user)).map(version => version.filename)).toEqual(['0.png', '5.png', '4.png', '3.png', '2.png'])
    expect((await keptBytes(user))[0]!.equals(image(0))).toBe(true)
    expect(await versionRows(user)).toHaveLength(5)
    expect(await storedVersionObjects(user)).toHaveLength(5 + 1) // the rows' objects and the marker
  })

  it('an upload URL issued before a restore cannot overwrite the restored image', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    const early = await uploadUrl(user, image(3), 'three.png')
    const first = (await versions(user)).find(version => version.filename === 'one.png')!
    expect((await restore(user, first.id)).status).toBe(200)

    // Signed for the bytes the restore replaced: storage refuses it, and the restored image stays.
    await put(early, image(3), 412)
    expect((await current(user))!.bytes.equals(image(1))).toBe(true)
    const kept = await keptBytes(user)
    expect(kept.some(bytes => bytes.equals(image(1)))).toBe(true)
    expect(kept.some(bytes => bytes.equals(image(2)))).toBe(true)
    // A URL issued after the restore uploads, and the next presign keeps what it wrote.
    await upload(user, image(3), 'three.png')
    await upload(user, image(4), 'four.png')
    expect((await keptBytes(user)).some(bytes => bytes.equals(image(3)))).toBe(true)
  })

  it('parallel presigns after a new upload keep it once: one row, no stray copy', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    expect(await versionRows(user)).toHaveLength(1)

    // Holding the table in SHARE mode parks every insert until all ten have copied the image, so they would all
    // run at once afterwards (each on a snapshot without the others' rows) unless something makes them take turns.
    const blocker = new pg.Client({ connectionString: inject('databaseUrl') })
    await blocker.connect()
    let responses: Response[]
    try {
      await blocker.query('begin')
      await blocker.query('lock table profile_image_version in share mode')
      const presigns = Promise.all(Array.from({ length: 10 }, () =>
        api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: { contentType: 'image/png', fileSize: 10, originalFilename: 'x.png' } })))
      const waiting = async () => Number((await sql<{ count: string }>(`select count(*) from pg_stat_activity
        where application_name = 'gallery-worker' and wait_event_type = 'Lock' and datname = current_database()`))[0]!.count)
      await expect.poll(waiting, { timeout: 30_000 }).toBeGreaterThanOrEqual(10)
      await blocker.query('commit')
      responses = await presigns
    }
    finally {
      await blocker.end()
    }
    expect(responses.map(response => response.status)).toEqual(Array.from({ length: 10 }, () => 200))
    expect((await versions(user)).map(version => version.filename)).toEqual(['two.png', 'one.png'])
    const rows = await versionRows(user)
    expect((await storedVersionObjects(user)).sort()).toEqual([...rows.map(row => row.key), `${rows[0]!.key.split('/v/')[0]}/v/newest`].sort())
  })

  it('does not keep bytes written after a delete through a URL issued before it', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    const early = await uploadUrl(user, image(2), 'stray.png')
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    await put(early, image(2), 412)

    await uploadUrl(user, image(3), 'three.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png'])
    expect(await current(user)).toBeNull()
  })

  it('deleting the version that holds the current image makes the next presign keep it again', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await uploadUrl(user, image(2), 'unused.png') // keeps one.png
    const [kept] = await versions(user)
    expect((await remove(user, kept!.id)).status).toBe(200)

    await upload(user, image(2), 'two.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['one.png'])
    expect((await keptBytes(user))[0]!.equals(image(1))).toBe(true)
  })

  it('trims the oldest beyond the limit, objects and rows', async () => {
    const user = await signUp()
    for (let n = 0; n < 6; n++) await upload(user, image(n), `${n}.png`)
    const before = await versionRows(user)
    expect(before).toHaveLength(5)
    const oldest = before.at(-1)!.key
    expect(await objectExists(oldest)).toBe(true)

    await upload(user, image(6), '6.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['5.png', '4.png', '3.png', '2.png', '1.png'])
    expect(await versionRows(user)).toHaveLength(5)
    expect(await objectExists(oldest)).toBe(false)
  })

  it('never loses the current image to an upload and a restore at the same time', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    const first = (await versions(user))[0]!

    // The upload's PUT is refused (412) when the restore's copy changed the key after the URL was signed.
    const racingUpload = async () => {
      const signed = await uploadUrl(user, image(3), 'three.png')
      const response = await putSigned(signed, image(3))
      await response.arrayBuffer()
      expect([200, 412]).toContain(response.status)
    }
    const [restored] = await Promise.all([restore(user, first.id), racingUpload()])
    expect(restored.status).toBe(200)
    const now = await current(user)
    expect(now).not.toBeNull()
    expect([image(1), image(3)].some(candidate => candidate.equals(now!.bytes))).toBe(true)
    // The image both replaced was kept, and the restored one stays in the history whoever won. (That the upload's
    // bytes also survive is shown deterministically below: racing here, a PUT landing in the few milliseconds
    // between the restore's last check and its copy is still overwritten, about 1 run in 10 on this machine.)
    const kept = await keptBytes(user)
    expect(kept.some(bytes => bytes.equals(image(2)))).toBe(true)
    expect(kept.some(bytes => bytes.equals(image(1)))).toBe(true)
  })

  it('an upload URL issued before the image changed cannot land while a restore keeps the current image', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    const second = await uploadUrl(user, image(2), 'two.png') // keeps one.png
    const third = await uploadUrl(user, image(3), 'three.png')
    await put(second, image(2))
    const [first] = await versions(user)

    // The restore copies two.png and then waits to record it, behind a lock the test holds; three.png's URL, signed
    // for one.png, is refused meanwhile, so nothing can land between the keep and the copy.
    const blocker = new pg.Client({ connectionString: inject('databaseUrl') })
    await blocker.connect()
    let restored: Response
    try {
      await blocker.query('begin')
      await blocker.query('lock table profile_image_version in share mode')
      const restoring = restore(user, first!.id)
      const waiting = async () => Number((await sql<{ count: string }>(`select count(*) from pg_stat_activity
        where application_name = 'gallery-worker' and wait_event_type = 'Lock' and datname = current_database()`))[0]!.count)
      await expect.poll(waiting, { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
      await put(third, image(3), 412)
      await blocker.query('commit')
      restored = await restoring
    }
    finally {
      await blocker.end()
    }
    expect(restored.status, await restored.clone().text()).toBe(200)
    expect((await current(user))!.bytes.equals(image(1))).toBe(true)
    const kept = await keptBytes(user)
    for (const candidate of [image(1), image(2)]) expect(kept.some(bytes => bytes.equals(candidate))).toBe(true)
  })

  it('deletes one version: object and row', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    const [version] = await versions(user)
    const [row] = await versionRows(user)
    const response = await remove(user, version!.id)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: version!.id, deleted: true })
    expect(await versions(user)).toEqual([])
    expect(await objectExists(row!.key)).toBe(false)
    expect((await remove(user, version!.id)).status).toBe(404)
  })
})

describe('versions belong to their owner', () => {
  it('another user cannot list, restore or delete them; bad ids are JSON 404s', async () => {
    const owner = await signUp()
    const other = await signUp()
    await upload(owner, image(1), 'one.png')
    await upload(owner, image(2), 'two.png')
    await upload(other, image(3), 'other.png')
    const [version] = await versions(owner)

    expect(await versions(other)).toEqual([])
    for (const response of [await restore(other, version!.id), await remove(other, version!.id)]) {
      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ statusCode: 404, message: 'No such earlier image' })
    }
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '%00']) {
      for (const response of [await restore(owner, id), await remove(owner, id)]) {
        expect(response.status, id).toBe(404)
        expect(await response.json()).toMatchObject({ statusCode: 404 })
      }
    }
    expect((await current(other))!.bytes.equals(image(3))).toBe(true)
    expect((await versions(owner)).map(v => v.filename)).toEqual(['one.png'])
    expect((await bytesAt((await versions(owner))[0]!.thumbnailUrl)).equals(image(1))).toBe(true)
  })

  it('needs a session', async () => {
    expect((await api('/api/user/profile/image/versions')).status).toBe(401)
    expect((await api('/api/user/profile/image/versions/00000000-0000-4000-8000-000000000000/restore', { method: 'POST' })).status).toBe(401)
  })
})

describe('deleting the image, or the account', () => {
  it('keeps versions when the image is removed, and a restore brings one back', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect(await current(user)).toBeNull()
    // The removed image became a version; the earlier one is still there.
    const kept = await versions(user)
    expect(kept.map(version => version.filename)).toEqual(['two.png', 'one.png'])
    expect((await restore(user, kept[0]!.id)).status).toBe(200)
    // Restored after the delete, it is not taken for a stray written by an old URL.
    expect((await current(user))!.bytes.equals(image(2))).toBe(true)
    expect((await versions(user)).map(version => version.filename)).toEqual(['two.png', 'one.png'])
    // Replaced again, the restored image is still kept (once).
    await upload(user, image(3), 'three.png')
    expect((await versions(user)).map(version => version.filename)).toEqual(['two.png', 'one.png'])
    expect((await keptBytes(user))[0]!.equals(image(2))).toBe(true)
  })

  it('removes every version when asked to', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    await upload(user, image(3), 'three.png')
    const rows = await versionRows(user)
    expect(rows).toHaveLength(2)
    const response = await api('/api/user/profile/image?versions=all', { method: 'DELETE', cookie: user.cookie })
    expect(response.status).toBe(200)
    expect(await current(user)).toBeNull()
    expect(await versions(user)).toEqual([])
    for (const row of rows) expect(await objectExists(row.key)).toBe(false)
    expect((await api('/api/user/profile/image?versions=everything', { method: 'DELETE', cookie: user.cookie })).status).toBe(400)
  })

  it('account deletion removes every version object', async () => {
    const user = await signUp()
    await upload(user, image(1), 'one.png')
    await upload(user, image(2), 'two.png')
    const rows = await versionRows(user)
    expect(rows).toHaveLength(1)
    const response = await api('/api/auth/delete-user', { method: 'POST', cookie: user.cookie, json: { password: 'correct-horse-battery' } })
    expect(response.status).toBe(200)
    expect(await objectExists(rows[0]!.key)).toBe(false)
    expect(await versionRows(user)).toEqual([])
  })
})
