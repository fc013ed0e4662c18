import { describe, expect, inject, it } from 'vitest'
import { api, signUp, sql, updatedCookie, withoutSessionCache } from '../support/api'
import { readCookieCache, signCookieCache, withCookieCache, withTamperedTokenSignature } from '../support/session'

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

describe('session check from the cookie cache', () => {
  const secret = inject('authSecret')
  const profileName = async (cookie: string) => {
    const response = await api('/api/user/profile', { cookie })
    return response.ok ? (await response.json() as { name: string }).name : response.status
  }

  it('trusts a cache signed with the server secret until it lapses, as Better Auth does', async () => {
    const user = await signUp('Stored Name')
    const cache = readCookieCache(user.cookie)
    const fresh = signCookieCache({ ...cache, user: { ...cache.user, name: 'Cached Name' } }, Date.now() + 60_000, secret)
    expect(await profileName(withCookieCache(user.cookie, fresh))).toBe('Cached Name')

    // Lapsed, or signed with another secret: the database answers, and a fresh cache is issued.
    const lapsed = signCookieCache({ ...cache, user: { ...cache.user, name: 'Cached Name' } }, Date.now() - 1000, secret)
    const response = await api('/api/user/profile', { cookie: withCookieCache(user.cookie, lapsed) })
    expect((await response.json()).name).toBe('Stored Name')
    expect(response.headers.getSetCookie().some(line => line.includes('session_data=') && !/max-age=0/i.test(line))).toBe(true)
    const forged = signCookieCache({ ...cache, user: { ...cache.user, name: 'Cached Name' } }, Date.now() + 60_000, 'not-the-secret')
    expect(await profileName(withCookieCache(user.cookie, forged))).toBe('Stored Name')
  })

  it('refuses a session whose own expiry has passed, even inside a valid cache', async () => {
    const user = await signUp('Expired')
    const cache = readCookieCache(user.cookie)
    const expired = signCookieCache({ ...cache, session: { ...cache.session, expiresAt: new Date(Date.now() - 1000).toISOString() } }, Date.now() + 60_000, secret)
    await sql('update session set expires_at = now() - interval \'1 second\' where token = $1', [cache.session.token])
    expect(await profileName(withCookieCache(user.cookie, expired))).toBe(401)
  })

  it('uses the cache only for the session its signed token cookie names', async () => {
    const [owner, other] = await Promise.all([signUp('Owner'), signUp('Other')])
    const ownersCache = cachePairOf(owner.cookie)
    // Someone else's cache beside one's own token: the token decides, read from the database.
    expect(await profileName(other.cookie.replace(cachePairOf(other.cookie), ownersCache))).toBe('Other')
    // A token cookie whose signature does not verify is no session, whatever the cache says.
    expect(await profileName(withTamperedTokenSignature(owner.cookie))).toBe(401)
  })

  it('is gone once signed out', async () => {
    const user = await signUp('Leaving')
    const signOut = await api('/api/auth/sign-out', { method: 'POST', cookie: user.cookie, json: {} })
    expect(signOut.status).toBe(200)
    expect(await profileName(updatedCookie(user.cookie, signOut))).toBe(401)
    // The old token without a cache cookie goes to the database, where the session no longer is.
    expect(await profileName(withoutSessionCache(user.cookie))).toBe(401)
  })
})

function cachePairOf(cookie: string): string {
  return cookie.split('; ').find(pair => pair.startsWith('better-auth.session_data='))!
}
