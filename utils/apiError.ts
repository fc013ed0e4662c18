/** The server's `{ statusCode, message }` text from a failed $fetch, or a generic fallback. */
export function apiErrorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  const data = (error as { data?: { message?: unknown } })?.data
  if (data && typeof data.message === 'string' && data.message) return data.message
  if (error instanceof Error && error.name !== 'FetchError' && error.message) return error.message
  return fallback
}
