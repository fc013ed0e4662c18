/** A same-origin path to go to after sign-in, or the fallback: never another site, however the input is dressed up. */
export function safeRedirect(target: unknown, origin: string, fallback = '/profile'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (typeof target !== 'string' || !target.startsWith('/') || /[\\\u0000-\u001F]/.test(target)) return fallback
  try {
    const url = new URL(target, origin)
    return url.origin === origin ? url.pathname + url.search + url.hash : fallback
  }
  catch {
    return fallback
  }
}
