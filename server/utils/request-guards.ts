import type { H3Event } from 'h3'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
// What a browser sends for the site's own pages and for a typed-in URL; a sibling subdomain is `same-site`.
const OWN_FETCH_SITES = new Set(['same-origin', 'none'])

/** A request that may change state on the app's own API (Better Auth checks its /api/auth/* itself). */
export function isStateChangingApiRequest(event: H3Event): boolean {
  const path = event.path
  return !SAFE_METHODS.has(event.method) && path.startsWith('/api/') && !path.startsWith('/api/auth/')
}

/** The origins this site answers on: the request's own, BETTER_AUTH_URL's and, on a local run, its loopback aliases. */
export function siteOrigins(event: H3Event): Set<string> {
  const url = event.context.cloudflare?.request.url ?? getRequestURL(event).href
  return new Set([new URL(url).origin, ...trustedOriginsFor(url, useEnv(event).BETTER_AUTH_URL)])
}

/**
 * Whether the browser says the request came from another site. A request with neither header (curl, a server) is not
 * a browser's cross-site request and passes; `Origin: null` (sandboxed frames, redirects) does not.
 */
export function isCrossSite(event: H3Event): boolean {
  const fetchSite = getRequestHeader(event, 'sec-fetch-site')
  if (fetchSite !== undefined && !OWN_FETCH_SITES.has(fetchSite)) return true
  const origin = getRequestHeader(event, 'origin')
  return origin !== undefined && !siteOrigins(event).has(origin)
}

/** A declared body over the JSON cap is refused before anything reads it. */
export function declaredBodyTooLarge(event: H3Event): boolean {
  return Number(getRequestHeader(event, 'content-length') ?? 0) > requestConfig.maxJsonBodyBytes
}

export const BODY_TOO_LARGE = { statusCode: 413, message: `The request body is too large (at most ${requestConfig.maxJsonBodyBytes / 1024} KiB)` }
