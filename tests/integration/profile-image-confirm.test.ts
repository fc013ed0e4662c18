import { describe, expect, it } from 'vitest'
import { api, objectExists, signUp, storedAt, type TestUser } from '../support/api'
import { makePng } from '../support/png'

import { putProfileImage } from '../support/uploads'

// POST /api/user/profile/image/confirm: after the PUT, the stored bytes must be the signed image type.
// Storage accepts any bytes through a correctly signed URL; the confirm call is what refuses them.

const imageA = makePng(2, [255, 0, 0])
const imageB = makePng(3, [0, 255, 0])
const notAnImage = (length: number) => new Uint8Array(Buffer.from('this is a text file renamed .png '.repeat(20).slice(0, length)))

const put = (user: TestUser, bytes: Uint8Array<ArrayBuffer>) => putProfileImage(user, bytes, 'x.png')

const confirm = (user: TestUser) => api('/api/user/profile/image/confirm', { method: 'POST', cookie: user.cookie })

async function currentBytes(user: TestUser) {
  const shown = await (await api('/api/user/profile/image', { cookie: user.cookie })).json() as { hasImage: boolean, downloadUrl?: string }
  return shown.hasImage ? Buffer.from(await (await fetch(shown.downloadUrl!)).arrayBuffer()) : null
}

describe('POST /api/user/profile/image/confirm', () => {
  it('accepts an object whose bytes are the signed type', async () => {
    const user = await signUp()
    await put(user, imageA)
    const response = await confirm(user)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ confirmed: true })
    expect((await currentBytes(user))!.equals(imageA)).toBe(true)
  })

  it('refuses non-image bytes PUT through a correctly signed URL: 422, previous image back', async () => {
    const user = await signUp()
    await put(user, imageA)
    expect((await confirm(user)).status).toBe(200)
    await put(user, imageB)
    expect((await confirm(user)).status).toBe(200)
    const bad = notAnImage(imageB.length)
    const signed = await put(user, bad)
    expect(await storedAt(signed.key)).toEqual({ kind: 'object', bytes: Buffer.from(bad) }) // storage took it

    const response = await confirm(user)
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ statusCode: 422, message: 'That file is not a real PNG image, so it was not used. Your previous image is back.' })
    expect((await currentBytes(user))!.equals(imageB)).toBe(true)
    expect(await objectExists(signed.key)).toBe(true)
    // B is current again, and (like any restored version) still listed on top with its copy; A still is a version.
    const versions = (await (await api('/api/user/profile/image/versions', { cookie: user.cookie })).json()).items as { thumbnailUrl: string }[]
    expect(versions).toHaveLength(2)
    expect(Buffer.from(await (await fetch(versions[0]!.thumbnailUrl)).arrayBuffer()).equals(imageB)).toBe(true)
    expect(Buffer.from(await (await fetch(versions[1]!.thumbnailUrl)).arrayBuffer()).equals(imageA)).toBe(true)
  })

  it('refuses a first upload that is not an image and leaves no image', async () => {
    const user = await signUp()
    const signed = await put(user, notAnImage(40))
    const response = await confirm(user)
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ statusCode: 422, message: 'That file is not a real PNG image, so it was removed.' })
    expect(await currentBytes(user)).toBeNull()
    expect(await objectExists(signed.key)).toBe(false)
  })

  it('after "Remove image", a refused upload leaves no image, not the removed one', async () => {
    const user = await signUp()
    await put(user, imageA)
    expect((await api('/api/user/profile/image', { method: 'DELETE', cookie: user.cookie })).status).toBe(200)
    await put(user, notAnImage(imageA.length))
    expect((await confirm(user)).status).toBe(422)
    expect(await currentBytes(user)).toBeNull()
  })

  it('answers JSON 404 with nothing uploaded, 401 without a session', async () => {
    const user = await signUp()
    const response = await confirm(user)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ statusCode: 404 })
    expect((await api('/api/user/profile/image/confirm', { method: 'POST' })).status).toBe(401)
  })
})
