// What the local storage endpoint adds to wrangler's local S3 API, so local runs are as strict as S3/R2 where it is
// laxer. Pure, and free of TS-only syntax so Node imports it directly (scripts/local-storage.mjs) as Nitro does
// (./local-s3-forward.ts under `nuxt dev`).

export type HeaderNames = Iterable<string>

export type StorageVerdict
  = | { refuse: { status: 403, headers: Record<string, string>, body: string } }
    | { answerHeaders: Record<string, string> }

function xmlEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/**
 * `x-amz-*` request headers a pre-signed request carries without having signed them. AWS S3 answers such a request
 * 403; wrangler's local endpoint acts on them (an added `x-amz-copy-source` turns a signed PUT into a copy).
 * Requests signed in the Authorization header (the server's own, holding the keys) are not checked.
 */
export function unsignedAmzHeaders(query: URLSearchParams, headerNames: HeaderNames): string[] {
  if (!query.has('X-Amz-Signature')) return []
  const signed = new Set((query.get('X-Amz-SignedHeaders') ?? '').split(';').map(name => name.trim().toLowerCase()))
  return [...headerNames].map(name => name.toLowerCase()).filter(name => name.startsWith('x-amz-') && !signed.has(name))
}

/**
 * Headers for a GET/HEAD answer: always a download (the signed `response-content-disposition`, which the local
 * endpoint ignores, else `attachment`), and a sandbox CSP so a stored HTML or SVG file never runs script.
 */
export function downloadHeaders(query: URLSearchParams): Record<string, string> {
  return {
    'content-disposition': query.get('response-content-disposition') || 'attachment',
    'content-security-policy': 'sandbox',
    'x-content-type-options': 'nosniff',
  }
}

/** The verdict for one request: `target` is its path and query, `headerNames` the names of the headers it carries. */
export function storageVerdict(method: string, target: string, headerNames: HeaderNames): StorageVerdict {
  const query = new URL(target, 'http://storage.invalid').searchParams
  const unsigned = unsignedAmzHeaders(query, headerNames)
  if (unsigned.length > 0) {
    const message = `Headers not signed: ${unsigned.join(', ')}`
    return {
      refuse: {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${xmlEscape(message)}</Message></Error>`,
      },
    }
  }
  const upper = method.toUpperCase()
  return { answerHeaders: upper === 'GET' || upper === 'HEAD' ? downloadHeaders(query) : {} }
}
