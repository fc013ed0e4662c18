import type { H3Event } from 'h3'
import { createHMAC } from '@better-auth/utils/hmac'
import { getCookieCache } from 'better-auth/cookies'
import type { SessionWithUser } from './auth'

const SECURE_PREFIX = '__Secure-'
const SESSION_TOKEN_COOKIE = 'better-auth.session_token'
/** The token cookie under either name Better Auth may give it. */
export const SESSION_TOKEN_COOKIES = [SESSION_TOKEN_COOKIE, `${SECURE_PREFIX}${SESSION_TOKEN_COOKIE}`]

/** Better Auth names its cookies `__Secure-…` exactly when its base URL is https (Workers never set NODE_ENV). */
function usesSecureCookies(event: H3Event, env: GalleryEnv): boolean {
  return (env.BETTER_AUTH_URL ?? getRequestURL(event).origin).startsWith('https://')
}

/** The session token from its signed cookie (`<token>.<base64 HMAC>`), or null when missing or not signed by us. */
async function verifiedSessionToken(cookies: Record<string, string>, secret: string, secure: boolean): Promise<string | null> {
  const signed = cookies[`${secure ? SECURE_PREFIX : ''}${SESSION_TOKEN_COOKIE}`]
  const dot = signed?.lastIndexOf('.') ?? -1
  if (!signed || dot < 1) return null
  const token = signed.slice(0, dot)
  const signature = signed.slice(dot + 1)
  // Standard base64 only, as Better Auth reads it (its HMAC helper would also take the URL-safe alphabet).
  if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) return null
  return await createHMAC('SHA-256', 'base64').verify(secret, token, signature).catch(() => false) ? token : null
}

/**
 * The session as Better Auth's getSession answers it inside the cookie cache, without building a Better Auth instance:
 * the signed token cookie and the signed cache cookie must both verify, name the same session and be unexpired.
 * Null sends the caller to the full getSession, which also handles (and clears) a bad or stale cache cookie.
 */
export async function sessionFromCookieCache(event: H3Event, cookies: Record<string, string>): Promise<SessionWithUser | null> {
  const env = useEnv(event)
  const secret = env.BETTER_AUTH_SECRET
  if (!secret) return null
  const secure = usesSecureCookies(event, env)
  const token = await verifiedSessionToken(cookies, secret, secure)
  if (!token) return null
  const cached = await getCookieCache(event.headers, { secret, isSecure: secure, ...authConfig.sessionCache }).catch(() => null)
  if (!cached || cached.session.token !== token) return null
  const { session, user } = cached
  return {
    session: { ...session, expiresAt: new Date(session.expiresAt), createdAt: new Date(session.createdAt), updatedAt: new Date(session.updatedAt) },
    user: { ...user, createdAt: new Date(user.createdAt), updatedAt: new Date(user.updatedAt) },
  } as SessionWithUser
}
