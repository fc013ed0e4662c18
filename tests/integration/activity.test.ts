import { describe, expect, it } from 'vitest'
import { api, signUp, sql, type TestUser } from '../support/api'
import { makePng } from '../support/png'

import { committedUpload, putProfileImage, requestUpload } from '../support/uploads'

interface Entry { action: string, subject: string, key: string, filename: string | null, count: number, unfinished: boolean }

const rowCount = async (userId: string) => Number((await sql<{ count: string }>('select count(*) from presign_event where user_id = $1', [userId]))[0]!.count)
const activity = async (user: TestUser) => {
  const response = await api('/api/user/activity', { cookie: user.cookie })
  expect(response.status).toBe(200)
  return (await response.json() as { items: Entry[] }).items
}

describe('GET /api/user/activity', () => {
  it('names files, folds repeats and still-fresh avatar links, marks unfinished uploads, and shows only the owner', async () => {
    const user = await signUp()
    const other = await signUp()
    const image = makePng(2, [7, 7, 7])
    const profile = await putProfileImage(user, image, 'me.png')
    // Three visits to the profile page: three avatar links signed, all within the first one's lifetime.
    for (let i = 0; i < 3; i++) expect((await api('/api/user/profile/image', { cookie: user.cookie })).status).toBe(200)

    const abandoned = await requestUpload(user, { filename: 'draft.txt', contentType: 'text/plain', fileSize: 3 })
    const bytes = Buffer.from('%PDF-1.4\n%%EOF\n')
    const file = await committedUpload(user, 'résumé.pdf', bytes, 'application/pdf')
    for (let i = 0; i < 3; i++) expect((await api(`/api/uploads/${file.uploadId}/download-url`, { cookie: user.cookie })).status).toBe(200)
    expect((await api(`/api/uploads/${file.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)

    // Every issuance is in the audit log (1 + 3 profile, 1 + 1 + 3 + 1 files), each with its file name.
    await expect.poll(() => rowCount(user.id), { timeout: 30_000 }).toBe(10)
    const names = await sql<{ action: string, filename: string | null }>('select action, filename from presign_event where user_id = $1 and key = $2 order by id', [user.id, file.key])
    expect(names).toEqual([
      { action: 'put', filename: 'résumé.pdf' }, { action: 'get', filename: 'résumé.pdf' }, { action: 'get', filename: 'résumé.pdf' },
      { action: 'get', filename: 'résumé.pdf' }, { action: 'delete', filename: 'résumé.pdf' },
    ])

    const entries = await activity(user)
    expect(entries.map(({ action, subject, key, filename, count, unfinished }) => ({ action, subject, key, filename, count, unfinished }))).toEqual([
      { action: 'delete', subject: 'file', key: file.key, filename: 'résumé.pdf', count: 1, unfinished: false },
      { action: 'get', subject: 'file', key: file.key, filename: 'résumé.pdf', count: 3, unfinished: false },
      { action: 'put', subject: 'file', key: file.key, filename: 'résumé.pdf', count: 1, unfinished: false },
      { action: 'put', subject: 'file', key: abandoned.key, filename: 'draft.txt', count: 1, unfinished: true },
      { action: 'get', subject: 'profile', key: profile.key, filename: 'me.png', count: 1, unfinished: false },
      { action: 'put', subject: 'profile', key: profile.key, filename: 'me.png', count: 1, unfinished: false },
    ])
    expect(JSON.stringify(entries)).not.toContain(user.email)
    expect(await activity(other)).toEqual([])
  })

  it('finds the name of a file on its upload for rows written before the audit kept names', async () => {
    const user = await signUp()
    const file = await requestUpload(user, { filename: 'old.txt', contentType: 'text/plain', fileSize: 3 })
    await expect.poll(() => rowCount(user.id), { timeout: 30_000 }).toBe(1)
    await sql('update presign_event set filename = null where user_id = $1', [user.id])
    expect(await activity(user)).toMatchObject([{ action: 'put', key: file.key, filename: 'old.txt', unfinished: true }])
  })

  it('earlier profile images: listing their thumbnails adds nothing, deleting one names it', async () => {
    const user = await signUp()
    const put = (bytes: Buffer<ArrayBuffer>, originalFilename: string) => putProfileImage(user, bytes, originalFilename)
    const profile = await put(makePng(2, [1, 2, 3]), 'old.png')
    await put(makePng(3, [4, 5, 6]), 'new.png')
    // Issuing the second URL kept old.png as an earlier image; three visits list it (three thumbnail signings).
    for (let i = 0; i < 3; i++) {
      const response = await api('/api/user/profile/image/versions', { cookie: user.cookie })
      expect(response.status).toBe(200)
      expect((await response.json() as { items: unknown[] }).items).toHaveLength(1)
    }
    const [version] = (await (await api('/api/user/profile/image/versions', { cookie: user.cookie })).json() as { items: { id: string }[] }).items
    expect((await api(`/api/user/profile/image/versions/${version!.id}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)

    // 2 upload links, 4 thumbnail listings, 1 version deletion are all in the audit log …
    await expect.poll(() => rowCount(user.id), { timeout: 30_000 }).toBe(7)
    // … but only what the person did is activity.
    const entries = await activity(user)
    expect(entries.map(({ action, subject, filename, count }) => ({ action, subject, filename, count }))).toEqual([
      { action: 'delete', subject: 'earlier-profile-image', filename: 'old.png', count: 1 },
      // Two changes of the profile image in a row fold into one line ("Changed profile image ×2").
      { action: 'put', subject: 'profile', filename: 'new.png', count: 2 },
    ])
    expect(entries.every(entry => entry.key === profile.key || entry.key.startsWith(`${profile.key}/v/`))).toBe(true)
  })
})
