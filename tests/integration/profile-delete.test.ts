import { describe, expect, it } from 'vitest'
import { api, objectExists, signUp, type TestUser } from '../support/api'
import { makePng } from '../support/png'

import { putSigned, requestProfileUpload } from '../support/uploads'

// A profile image deleted by its owner stays deleted, even when an upload URL issued before the delete (still valid
// for 24 h: an upload in flight, a leaked URL) is used afterwards.
const uploadUrl = (user: TestUser, bytes: Uint8Array) => requestProfileUpload(user, { contentType: 'image/png', fileSize: bytes.length })
const put = putSigned

describe('DELETE /api/user/profile/image', () => {
  it('cannot be undone by an upload URL issued before the delete', async () => {
    const user = await signUp()
    const image = makePng(3, [9, 9, 9])
    const early = await uploadUrl(user, image)
    expect((await put(early, image)).status).toBe(200)
    const stale = await uploadUrl(user, image) // issued before the delete, used after it

    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    // The URL is still valid, but it was signed for the image the removal replaced with a tombstone: refused.
    expect((await put(stale, image)).status).toBe(412)
    expect(await objectExists(stale.key)).toBe(false)

    const shown = await (await api('/api/user/profile/image', { cookie: user.cookie })).json()
    expect(shown).toEqual({ hasImage: false })
    expect(await objectExists(stale.key)).toBe(false)
  })

  it('lets a URL issued after the delete set a new image', async () => {
    const user = await signUp()
    const first = makePng(2, [1, 1, 1])
    const second = makePng(4, [2, 2, 2])
    expect((await put(await uploadUrl(user, first), first)).status).toBe(200)
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    expect((await put(await uploadUrl(user, second), second)).status).toBe(200)

    const shown = await (await api('/api/user/profile/image', { cookie: user.cookie })).json()
    expect(shown.hasImage).toBe(true)
    expect(Buffer.from(await (await fetch(shown.downloadUrl)).arrayBuffer()).equals(second)).toBe(true)
  })
})
