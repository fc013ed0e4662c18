import { describe, expect, it } from 'vitest'
import { api, baseURL, randomClientIp, signUp, sql } from '../support/api'

describe('session guard', () => {
  it('answers 401 JSON on a protected route without a session', async () => {
    const response = await api('/api/user/profile')
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.json()).toMatchObject({ statusCode: 401, message: 'Sign in to continue' })
  })

  it('answers 401 for a forged session cookie', async () => {
    const response = await api('/api/user/profile', { cookie: 'better-auth.session_token=forged.value' })
    expect(response.status).toBe(401)
  })

  it('serves the signed-in user their own profile', async () => {
    const user = await signUp('Ada')
    const response = await api('/api/user/profile', { cookie: user.cookie })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ id: user.id, name: 'Ada', email: user.email })
  })
})

describe('user.image is not writable through Better Auth', () => {
  it('refuses image on update-user and leaves the stored key unchanged', async () => {
    const user = await signUp()
    await sql('update "user" set image = $1 where id = $2', ['key-owned-by-the-server', user.id])

    const response = await api('/api/auth/update-user', { method: 'POST', cookie: user.cookie, json: { image: 'anything' } })

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(/profile image/i) })
    const [row] = await sql<{ image: string | null }>('select image from "user" where id = $1', [user.id])
    expect(row!.image).toBe('key-owned-by-the-server')
  })

  it('refuses image on update-user even alongside a valid name change', async () => {
    const user = await signUp('Before')
    const response = await api('/api/auth/update-user', { method: 'POST', cookie: user.cookie, json: { name: 'After', image: null } })
    expect(response.status).toBe(400)
    const [row] = await sql<{ name: string }>('select name from "user" where id = $1', [user.id])
    expect(row!.name).toBe('Before')
  })

  it('lets update-user change the name without touching image', async () => {
    const user = await signUp('Before')
    await sql('update "user" set image = $1 where id = $2', [`key-${user.id}`, user.id])
    const response = await api('/api/auth/update-user', { method: 'POST', cookie: user.cookie, json: { name: 'After' } })
    expect(response.status).toBe(200)
    const [row] = await sql<{ name: string, image: string }>('select name, image from "user" where id = $1', [user.id])
    expect(row).toEqual({ name: 'After', image: `key-${user.id}` })
  })

  it('refuses image on sign-up and creates no user', async () => {
    const email = `image-${Date.now()}@example.com`
    const response = await api('/api/auth/sign-up/email', {
      method: 'POST',
      json: { name: 'Mallory', email, password: 'correct-horse-battery', image: 'someone-elses-key' },
      headers: { 'cf-connecting-ip': randomClientIp() },
    })
    expect(response.status).toBe(400)
    expect(await sql('select id from "user" where email = $1', [email])).toHaveLength(0)
  })
})

describe('origins', () => {
  it.each(['http://localhost', 'http://127.0.0.1'])('accepts sign-in from %s on the served port', async (host) => {
    const user = await signUp()
    const port = new URL(baseURL).port
    const response = await fetch(new URL('/api/auth/sign-in/email', `${host}:${port}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': `${host}:${port}`, 'cf-connecting-ip': randomClientIp() },
      body: JSON.stringify({ email: user.email, password: 'correct-horse-battery' }),
    })
    expect(response.status).toBe(200)
  })

  it('refuses a cookie request from a foreign origin', async () => {
    const user = await signUp()
    const response = await api('/api/auth/update-user', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'Hijacked' },
      headers: { origin: 'https://evil.example' },
    })
    expect(response.status).toBe(403)
  })
})

describe('health', () => {
  it('reports database and storage reachable', async () => {
    const response = await api('/api/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'ok', database: { ok: true }, storage: { ok: true } })
  })
})

describe('Better Auth rate limit (per cf-connecting-ip)', () => {
  it('refuses the 4th sign-in attempt within 10 s from one client, not from another', async () => {
    const user = await signUp()
    const attempt = (ip: string) => api('/api/auth/sign-in/email', {
      method: 'POST', json: { email: user.email, password: 'wrong-password' }, headers: { 'cf-connecting-ip': ip },
    })
    const attacker = randomClientIp()
    const statuses = [await attempt(attacker), await attempt(attacker), await attempt(attacker)].map(response => response.status)
    expect(statuses).toEqual([401, 401, 401])
    const blocked = await attempt(attacker)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('x-retry-after') ?? blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await attempt(randomClientIp())).status).toBe(401)
  })
})
