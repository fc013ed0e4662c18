import { createHmac } from 'node:crypto'

type CacheSession = { session: Record<string, unknown> & { token: string }, user: Record<string, unknown> & { name: string }, updatedAt: number, version: string }

const cachePair = (cookie: string) => cookie.split('; ').find(pair => pair.startsWith('better-auth.session_data='))!

/** What the session cookie cache (Better Auth's compact strategy: base64url JSON, HMAC-signed) holds. */
export function readCookieCache(cookie: string): CacheSession {
  const value = decodeURIComponent(cachePair(cookie).slice('better-auth.session_data='.length))
  return JSON.parse(Buffer.from(value, 'base64url').toString()).session
}

/** A cookie cache signed as Better Auth signs it, with `secret`, holding `session` and valid until `expiresAt`. */
export function signCookieCache(session: CacheSession, expiresAt: number, secret: string): string {
  const signature = createHmac('sha256', secret).update(JSON.stringify({ ...session, expiresAt })).digest('base64url')
  return Buffer.from(JSON.stringify({ session, expiresAt, signature })).toString('base64url')
}

/** `cookie` with its cookie cache replaced by `value`. */
export function withCookieCache(cookie: string, value: string): string {
  return cookie.replace(cachePair(cookie), `better-auth.session_data=${value}`)
}

/** `cookie` with one character of its session token's signature changed (same length and form). */
export function withTamperedTokenSignature(cookie: string): string {
  const name = 'better-auth.session_token='
  const pair = cookie.split('; ').find(entry => entry.startsWith(name))!
  const value = decodeURIComponent(pair.slice(name.length))
  const dot = value.lastIndexOf('.')
  const flipped = value[dot + 1] === 'A' ? 'B' : 'A'
  return cookie.replace(pair, `${name}${encodeURIComponent(`${value.slice(0, dot + 1)}${flipped}${value.slice(dot + 2)}`)}`)
}
