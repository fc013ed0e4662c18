import type { H3Event } from 'h3'
import { betterAuth } from 'better-auth'
import { drizzleAdapter } from 'better-auth/adapters/drizzle'
import { APIError, createAuthEndpoint, createAuthMiddleware } from 'better-auth/api'
import { expireCookie, setCookieCache } from 'better-auth/cookies'
import type { BetterAuthPlugin } from 'better-auth'

// `user.image` is the profile-image storage key; only /api/user/profile/image may set it.
const PATHS_THAT_MUST_NOT_SET_IMAGE = new Set(['/sign-up/email', '/update-user'])
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Origins besides the request's own that count as this site (Better Auth's check and server/middleware/cross-site.ts). */
export function trustedOriginsFor(requestUrl: string | undefined, configuredUrl: string | undefined): string[] {
  const origins = configuredUrl ? [new URL(configuredUrl).origin] : []
  if (!requestUrl) return origins
  const url = new URL(requestUrl)
  // A local run is reached as localhost or 127.0.0.1 interchangeably; trust both on the same port.
  if (LOCAL_HOSTS.has(url.hostname)) {
    for (const host of LOCAL_HOSTS) origins.push(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`)
  }
  return origins
}

/**
 * Server-only endpoints (not reachable over HTTP) for the session cookie cache: re-issue it with the profile-image key
 * this request assigned, or drop it so the next request reads the session from the database.
 */
function sessionCachePlugin(event: H3Event) {
  return {
    id: 'gallery-session-cache',
    endpoints: {
      rewriteSessionCache: createAuthEndpoint.serverOnly({ method: 'POST' }, async (ctx) => {
        const current = event.context.session
        const image = event.context.profileImageKeyToCache
        if (!current || !image) return ctx.json({ rewritten: false })
        const dontRememberMe = await ctx.getSignedCookie(ctx.context.authCookies.dontRememberToken.name, ctx.context.secret)
        await setCookieCache(ctx, { session: current.session, user: { ...current.user, image } }, !!dontRememberMe)
        return ctx.json({ rewritten: true })
      }),
      expireSessionCache: createAuthEndpoint.serverOnly({ method: 'POST' }, async (ctx) => {
        expireCookie(ctx, ctx.context.authCookies.sessionData)
        return ctx.json({ expired: true })
      }),
    },
  } satisfies BetterAuthPlugin
}

function createAuth(db: Database, env: GalleryEnv, event: H3Event) {
  const requestOrigin = getRequestURL(event).origin
  return betterAuth({
    secret: env.BETTER_AUTH_SECRET,
    // Production pins BETTER_AUTH_URL; a local run answers on whichever host it was reached.
    baseURL: env.BETTER_AUTH_URL ?? requestOrigin,
    trustedOrigins: request => trustedOriginsFor(request?.url, env.BETTER_AUTH_URL),
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: { user: tables.user, session: tables.session, account: tables.account, verification: tables.verification, rateLimit: tables.rateLimit },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: authConfig.minPasswordLength, autoSignIn: true },
    user: {
      // "Delete account" on /profile: the password is re-entered (hooks.before insists); storage goes first.
      deleteUser: { enabled: true, beforeDelete: user => releaseAccountStorage(db, env.GALLERY, user.id) },
    },
    session: { cookieCache: { enabled: true, maxAge: authConfig.sessionCacheSeconds, ...authConfig.sessionCache } },
    plugins: [sessionCachePlugin(event)],
    advanced: { ipAddress: { ipAddressHeaders: ['cf-connecting-ip'] } },
    // Its default logger prints whole errors, and with them the values of a failed query (see log-redaction.ts).
    logger: { log: (level, message, ...args) => console[level](authLogLine(level, message, args)) },
    // Left to itself its router prints an unexpected error whole and answers a bare 500; thrown, it reaches Nitro,
    // whose error hook redacts it and turns an unreachable database into the 503 (server/plugins/db.ts).
    onAPIError: { throw: true },
    // Workers never set NODE_ENV=production, so switch it on explicitly; the database store is shared by isolates.
    rateLimit: { enabled: true, storage: 'database', window: rateLimitConfig.auth.windowSeconds, max: rateLimitConfig.auth.max },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (PATHS_THAT_MUST_NOT_SET_IMAGE.has(ctx.path) && ctx.body && typeof ctx.body === 'object' && 'image' in ctx.body) {
          throw new APIError('BAD_REQUEST', { message: IMAGE_REFUSAL_MESSAGE })
        }
        if (ctx.path === '/delete-user' && !(typeof ctx.body?.password === 'string' && ctx.body.password)) {
          throw new APIError('BAD_REQUEST', { message: 'Enter your password to delete your account' })
        }
      }),
    },
    databaseHooks: {
      // Second line of defence should another Better Auth path ever pass `image` through: refuse, never strip.
      user: {
        create: { before: async (user) => {
          refuseImageWrite(user)
        } },
        update: { before: async (data) => {
          refuseImageUpdate(data)
        } },
      },
    },
  })
}

export type Auth = ReturnType<typeof createAuth>
export type SessionWithUser = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>

export function useBetterAuth(event: H3Event): Auth {
  const env = useEnv(event)
  // Better Auth only insists on a secret when NODE_ENV is production, which Workers never set: insist here.
  if (!env.BETTER_AUTH_SECRET) throw createError({ statusCode: 503, message: 'Sign-in is not configured on this server' })
  event.context.auth ??= createAuth(useDB(event), env, event)
  return event.context.auth
}

export async function requireUser(event: H3Event) {
  const cookies = parseCookies(event)
  // No cookie, no session: answer without opening a database connection.
  if (!SESSION_TOKEN_COOKIES.some(name => cookies[name])) throw createError({ statusCode: 401, message: 'Sign in to continue' })
  const session = await sessionFromCookieCache(event, cookies) ?? await sessionFromBetterAuth(event)
  if (!session) throw createError({ statusCode: 401, message: 'Sign in to continue' })
  event.context.session = session
  return session.user
}

/** Outside the cookie cache: reads the database and re-issues the cache cookie, which is passed on to the browser. */
async function sessionFromBetterAuth(event: H3Event): Promise<SessionWithUser | null> {
  const { headers, response: session } = await useBetterAuth(event).api.getSession({ headers: event.headers, returnHeaders: true }).catch((error: unknown) => {
    // Better Auth wraps adapter failures; keep "database unavailable" a 503 rather than a generic 500.
    throw causedByUnavailableDatabase(error) ? databaseUnavailableError(error) : error
  })
  forwardSetCookies(event, headers)
  return session
}

/**
 * Puts the profile-image key this request found or assigned into the session cookie cache (no SQL), so the next
 * request needs none either. A rewrite restarts the cache's lifetime without asking the database whether the
 * session still stands, so it is only for the key: it goes from none to one once per user and never back, which
 * bounds that extension to once. Anything else changed on the user goes through expireSessionCache.
 */
export async function cacheProfileImageKey(event: H3Event, image: string): Promise<void> {
  event.context.profileImageKeyToCache = image
  const { headers } = await useBetterAuth(event).api.rewriteSessionCache({ headers: event.headers, returnHeaders: true })
  forwardSetCookies(event, headers)
}

/** Drops the session cookie cache: the next request re-reads session and user from the database. */
export async function expireSessionCache(event: H3Event): Promise<void> {
  const { headers } = await useBetterAuth(event).api.expireSessionCache({ headers: event.headers, returnHeaders: true })
  forwardSetCookies(event, headers)
}

function forwardSetCookies(event: H3Event, headers: Headers) {
  for (const cookie of headers.getSetCookie()) appendResponseHeader(event, 'set-cookie', cookie)
}
