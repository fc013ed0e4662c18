import { randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createSigner } from '../../server/utils/r2'
import { localS3Credentials } from './storage'

export const baseURL = inject('baseURL')
export const storageEndpoint = inject('storageEndpoint')
const origin = new URL(baseURL).origin

/** fetch against the test worker, sending the Origin header a browser would (Better Auth checks it). */
export function api(path: string, init: RequestInit & { cookie?: string, json?: unknown } = {}) {
  const headers = new Headers(init.headers)
  if (!headers.has('origin')) headers.set('origin', origin)
  if (init.cookie) headers.set('cookie', init.cookie)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return fetch(new URL(path, baseURL), { ...init, headers, body, redirect: 'manual' })
}

export interface TestUser { id: string, email: string, name: string, cookie: string }

/**
 * A client address of its own for each simulated person: Better Auth limits sign-up/sign-in per cf-connecting-ip
 * (3 per 10 s), and locally wrangler passes the header through (Cloudflare sets it in production).
 */
export function randomClientIp(): string {
  const bytes = randomBytes(3)
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

export async function signUp(name = 'Test User'): Promise<TestUser> {
  const email = `user-${randomUUID()}@example.com`
  const response = await api('/api/auth/sign-up/email', {
    method: 'POST', json: { name, email, password: 'correct-horse-battery' }, headers: { 'cf-connecting-ip': randomClientIp() },
  })
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
  const { user } = await response.json() as { user: { id: string } }
  const cookie = response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')
  return { id: user.id, email, name, cookie }
}

/**
 * The cookie header without Better Auth's session cookie cache (`session_data`): what a browser sends once the cache
 * has lapsed, so the session is checked against the database again.
 */
export function withoutSessionCache(cookie: string): string {
  return cookie.split('; ').filter(pair => !pair.includes('session_data')).join('; ')
}

/** Replaces cookies in a cookie header with those a response set, as a browser would. */
export function updatedCookie(cookie: string, response: Response): string {
  const jar = new Map(cookie.split('; ').filter(Boolean).map(pair => [pair.slice(0, pair.indexOf('=')), pair]))
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0]!
    jar.set(pair.slice(0, pair.indexOf('=')), pair)
  }
  return [...jar.values()].join('; ')
}

/** Queries on a database of the run, the URL read when the query runs (suites with a worker of their own pass theirs). */
export function sqlOn(databaseUrl: () => string) {
  return async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: databaseUrl() })
    await client.connect()
    try {
      return (await client.query<T>(text, values)).rows
    }
    finally {
      await client.end()
    }
  }
}

/** Direct access to the test database, for checking what the API must (not) have written. */
export const sql = sqlOn(() => inject('databaseUrl'))

/**
 * What the local bucket holds at `key`, asked over the S3 endpoint with the storage keys (not through the app): an
 * object, the empty tombstone that holds a deleted key against earlier upload URLs (with its reason), or nothing.
 */
export async function storedAt(key: string): Promise<{ kind: 'object', bytes: Buffer } | { kind: 'tombstone', reason: string } | null> {
  const { accessKeyId, secretAccessKey } = localS3Credentials()
  const storage = createSigner({ accessKeyId, secretAccessKey, endpoint: `${baseURL}/cdn-cgi/local/r2/s3`, bucket: 'gallery' })
  const response = await fetch(await storage.presignGet({ key, expiresIn: 60 }))
  const bytes = Buffer.from(await response.arrayBuffer())
  if (response.status === 404) return null
  if (response.status !== 200) throw new Error(`storage answered ${response.status} for ${key}`)
  const reason = response.headers.get('x-amz-meta-tombstone')
  return reason ? { kind: 'tombstone', reason } : { kind: 'object', bytes }
}

/** Whether the local bucket holds an object at `key`; a tombstone is no object. */
export async function objectExists(key: string): Promise<boolean> {
  return (await storedAt(key))?.kind === 'object'
}
