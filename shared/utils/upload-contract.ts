// The upload contract the server signs and the browser must repeat exactly. No imports: the benchmark loads this file
// straight into Node, and routes, composables and tests all use it, so nothing re-declares these names.

/** The metadata signed into every upload URL, as request headers (r2/cors.json must allow each by name). */
export const UPLOAD_METADATA_HEADERS = {
  originalFilename: 'x-amz-meta-original-filename',
  uploadedBy: 'x-amz-meta-uploaded-by',
  uploadedAt: 'x-amz-meta-uploaded-at',
} as const

export type UploadMetadataField = keyof typeof UPLOAD_METADATA_HEADERS
export type UploadMetadataValues = Record<UploadMetadataField, string>

const METADATA_HEADER_PREFIX = 'x-amz-meta-'
const METADATA_FIELDS = Object.keys(UPLOAD_METADATA_HEADERS) as UploadMetadataField[]

/** The same names as storage keeps them (R2 `customMetadata`, and what the signer prefixes): `uploaded-by`, … */
export const UPLOAD_METADATA_KEYS = Object.fromEntries(
  METADATA_FIELDS.map(field => [field, UPLOAD_METADATA_HEADERS[field].slice(METADATA_HEADER_PREFIX.length)]),
) as Record<UploadMetadataField, string>

/**
 * The write condition signed into every upload URL, so each URL writes its key at most once: `If-None-Match: *` for a
 * key that holds nothing, `If-Match: "<etag>"` for one that holds an object (the profile image's stable key). Storage
 * answers a second PUT through the same URL with 412 PreconditionFailed.
 */
export const UPLOAD_CONDITION_HEADERS = { ifNoneMatch: 'if-none-match', ifMatch: 'if-match' } as const

export type UploadCondition = { ifNoneMatch: '*' } | { ifMatch: string }

/** Every header an upload sends by name, lower-case: what the bucket's CORS rule must allow (r2/cors.json). */
export const UPLOAD_REQUEST_HEADERS = ['content-type', ...Object.values(UPLOAD_METADATA_HEADERS), ...Object.values(UPLOAD_CONDITION_HEADERS)]

/** A pre-signed, write-once PUT of exactly `fileSize` bytes of `contentType` to `key`. */
interface SignedPut {
  presignedUrl: string
  key: string
  contentType: string
  fileSize: number
  expiresIn: number
  /** Exactly the headers to send with the PUT (the signed ones, the write condition included). */
  headers: Record<string, string>
}

/** The answer to every pre-signed PUT request: the URL and exactly the values that were signed into it. */
export interface SignedUpload extends UploadMetadataValues, SignedPut {}

/** The upload's preview, stored beside it. */
export type SignedPreview = SignedPut

/**
 * A generic upload's answer also names the pending row that `/complete` commits, and carries `preview` when the
 * request asked for one.
 */
export interface SignedGenericUpload extends SignedUpload {
  uploadId: string
  preview?: SignedPreview
}

/**
 * Where an upload's preview lives: beside the object, its key derived from the object's. Derived, not stored, so
 * every path that removes a key (delete, tombstone, account deletion, cleanup) finds the preview without a lookup;
 * the second dot means it can never be another upload's `<uuid>.<ext>` key.
 */
export function previewKeyOf(key: string): string {
  return `${key}.preview.webp`
}

/** The metadata keyed as storage keeps it, for the signer and for comparing with a stored object. */
export function uploadMetadata(values: UploadMetadataValues): Record<string, string> {
  return Object.fromEntries(METADATA_FIELDS.map(field => [UPLOAD_METADATA_KEYS[field], values[field]]))
}

/** The header that carries a write condition, by its wire name, with its value (an ETag is sent quoted). */
export function conditionHeader(condition: UploadCondition): [string, string] {
  return 'ifMatch' in condition
    ? ['If-Match', `"${condition.ifMatch.replaceAll('"', '')}"`]
    : ['If-None-Match', '*']
}

/**
 * Exactly the headers the URL was signed with: the answer's own `headers` when it has them, else built from its
 * values (and the condition). Content-Length is deliberately absent: the browser sets it from the body, and storage
 * compares it with the signed size.
 */
export function signedUploadHeaders(
  signed: Pick<SignedUpload, 'contentType' | UploadMetadataField> & Partial<SignedUpload>,
  condition?: UploadCondition,
): Record<string, string> {
  if (signed.headers) return { ...signed.headers }
  const headers: Record<string, string> = { 'Content-Type': signed.contentType }
  for (const field of METADATA_FIELDS) headers[UPLOAD_METADATA_HEADERS[field]] = signed[field]
  if (condition) {
    const [name, value] = conditionHeader(condition)
    headers[name] = value
  }
  return headers
}
