export const OFFLINE_MESSAGE = 'You appear to be offline. Check your connection and try again.'

/**
 * Whether a request failed before any answer came: the browser says it is offline, or the fetch itself failed
 * (ofetch's FetchError without a response, or the TypeError `fetch` throws).
 */
export function isNetworkFailure(error: unknown): boolean {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true
  const failure = error as { name?: string, response?: unknown, statusCode?: number, message?: string } | null
  if (failure?.name === 'FetchError') return !failure.response && !failure.statusCode
  return error instanceof TypeError && /fetch|network/i.test(error.message)
}

/** The server's `{ statusCode, message }` text from a failed $fetch, a plain word when offline, or a fallback. */
export function apiErrorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  const data = (error as { data?: { message?: unknown } })?.data
  if (data && typeof data.message === 'string' && data.message) return data.message
  if (isNetworkFailure(error)) return OFFLINE_MESSAGE
  if (error instanceof Error && error.name !== 'FetchError' && error.message) return error.message
  return fallback
}
