/**
 * Better Auth answers errors as `{ message, code }`; the rest of the API answers `{ statusCode, message }`.
 * Give clients one shape to read, and its 429 the standard Retry-After (it sends only X-Retry-After).
 */
export async function withStatusCode(response: Response): Promise<Response> {
  if (response.ok || !response.headers.get('content-type')?.includes('application/json')) return response
  const body = await response.clone().json().catch(() => null) as Record<string, unknown> | null
  const retryAfter = response.headers.get('x-retry-after')
  const needsRetryAfter = response.status === 429 && retryAfter !== null && !response.headers.has('retry-after')
  if (!body || typeof body !== 'object' || ('statusCode' in body && !needsRetryAfter)) return response
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  if (needsRetryAfter) headers.set('retry-after', retryAfter)
  return new Response(JSON.stringify({ statusCode: response.status, ...body }), { status: response.status, headers })
}
