import { describe, expect, it } from 'vitest'
import { uploadsConfig } from '../../server/utils/config'
import { api, baseURL, objectExists, signUp, sql, updatedCookie, withoutSessionCache, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import { committedUpload, putProfileImage, putSigned, requestUpload } from '../support/uploads'

// "Delete account" (Better Auth's delete-user, password re-entered): every object the user owns goes, and a
// still-valid upload URL issued before the deletion cannot leave an ownerless object behind: the keys such URLs were
// signed for hold one-byte tombstones that their write condition refuses.

/** A committed text file of the user's, and the download URL it had before the deletion. */
async function committedFile(user: TestUser, filename: string) {
  const signed = await committedUpload(user, filename, Buffer.from(`${filename} of ${user.id}`))
  const { downloadUrl } = await (await api(`/api/uploads/${signed.uploadId}/download-url`, { cookie: user.cookie })).json()
  return { key: signed.key, downloadUrl: downloadUrl as string }
}

const deleteAccount = (user: TestUser, body: Record<string, unknown>) => api('/api/auth/delete-user', { method: 'POST', cookie: user.cookie, json: body })

describe('account deletion', () => {
  it('needs the password, and a wrong one deletes nothing', async () => {
    const user = await signUp()
    const file = await committedFile(user, 'keep.txt')
    for (const body of [{}, { password: '' }, { password: 'not-my-password' }]) {
      const response = await deleteAccount(user, body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.any(String) })
    }
    expect(await sql('select id from "user" where id = $1', [user.id])).toHaveLength(1)
    expect(await objectExists(file.key)).toBe(true)
  })

  it('deletes every object the user owns, then the rows; earlier URLs read no file', async () => {
    const user = await signUp()
    const bystander = await signUp()
    const theirs = await committedFile(bystander, 'theirs.txt')

    const image = makePng(3, [7, 7, 7])
    const profile = await putProfileImage(user, image)
    const profileDownload = (await (await api('/api/user/profile/image', { cookie: user.cookie })).json()).downloadUrl as string
    const files = [await committedFile(user, 'a.txt'), await committedFile(user, 'b.txt')]
    const pendingBytes = Buffer.from('arrives after the account is gone')
    const pending = await requestUpload(user, { filename: 'late.txt', contentType: 'text/plain', fileSize: pendingBytes.length }) // signed, not yet sent

    const response = await deleteAccount(user, { password: 'correct-horse-battery' })
    expect(response.status, await response.clone().text()).toBe(200)

    for (const key of [profile.key, ...files.map(file => file.key)]) expect(await objectExists(key), key).toBe(false)
    for (const url of [profileDownload, ...files.map(file => file.downloadUrl)]) {
      const earlier = await fetch(url)
      // Only the one-byte tombstone that holds the key against earlier upload URLs.
      expect((await earlier.arrayBuffer()).byteLength, url).toBe(1)
      expect(earlier.headers.get('x-amz-meta-tombstone'), url).toBe('account-deleted')
    }
    expect(await sql('select id from "user" where id = $1', [user.id])).toHaveLength(0)
    expect(await sql('select id from upload where owner_id = $1', [user.id])).toHaveLength(0)
    // The browser's cookies are cleared; elsewhere the session is gone once the cookie cache lapses (docs/security.md).
    expect((await api('/api/user/profile', { cookie: updatedCookie(user.cookie, response) })).status).toBe(401)
    expect((await api('/api/user/profile', { cookie: withoutSessionCache(user.cookie) })).status).toBe(401)

    // The upload URL is still valid, but its key holds a tombstone it cannot write over; the cleanup keeps it there.
    expect((await putSigned(pending, pendingBytes)).status).toBe(412)
    expect(await objectExists(pending.key)).toBe(false)
    expect((await fetch(`${baseURL}/__scheduled?cron=${encodeURIComponent(uploadsConfig.cleanupCron)}`)).status).toBe(200)
    expect((await putSigned(pending, pendingBytes)).status).toBe(412)
    expect(await objectExists(pending.key)).toBe(false)
    // Recorded until no URL issued before the deletion can write any more.
    expect(await sql('select key from orphaned_object where key = $1', [pending.key])).toHaveLength(1)

    // Nobody else's files were touched.
    expect(await objectExists(theirs.key)).toBe(true)
  })
})
