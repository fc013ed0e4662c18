/**
 * Better Auth answers errors as `{ message, code }`; the rest of the API answers `{ statusCode, message }`.
 * Give clients one shape to read.
 */
export async function withStatusCode(response: Response): Promise<Response> {
  if (response.ok || !response.headers.get('content-type')?.includes('application/json')) return response
  const body = await response.clone().json().catch(() => null) as Record<string, unknown> | null
  if (!body || typeof body !== 'object' || 'statusCode' in body) return response
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  return new Response(JSON.stringify({ statusCode: response.status, ...body }), { status: response.status, headers })
}
