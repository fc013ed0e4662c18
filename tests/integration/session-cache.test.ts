import { describe, expect, it } from 'vitest'
import { api, signUp, updatedCookie } from '../support/api'

const sessionDataCookies = (response: Response) => response.headers.getSetCookie().filter(line => line.includes('session_data='))

describe('session cookie cache', () => {
  it('carries the profile-image key once assigned, and is dropped when the name changes', async () => {
    const user = await signUp('Cached Name')
    let cookie = user.cookie
    expect(cookie).toContain('session_data=')

    const upload = await api('/api/user/profile/image', { method: 'POST', cookie, json: { contentType: 'image/png', fileSize: 10 } })
    expect(upload.status).toBe(200)
    const { key } = await upload.json()
    const [rewritten] = sessionDataCookies(upload)
    expect(rewritten).not.toMatch(/max-age=0/i)
    cookie = updatedCookie(cookie, upload)
    // The re-issued snapshot holds the key (compact strategy: signed, base64url JSON).
    const snapshot = decodeURIComponent(cookie.split('; ').find(pair => pair.includes('session_data='))!.split('=')[1]!)
    expect(Buffer.from(snapshot, 'base64url').toString()).toContain(key)

    const renamed = await api('/api/user/profile', { method: 'PATCH', cookie, json: { name: 'New Name' } })
    expect(renamed.status).toBe(200)
    expect(sessionDataCookies(renamed).some(line => /max-age=0/i.test(line))).toBe(true)
    cookie = updatedCookie(cookie, renamed)
    expect(await (await api('/api/user/profile', { cookie })).json()).toMatchObject({ name: 'New Name' })
  })
})
