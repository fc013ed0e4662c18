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

/** The answer to every pre-signed PUT request: the URL and exactly the values that were signed into it. */
export interface SignedUpload extends UploadMetadataValues {
  presignedUrl: string
  key: string
  contentType: string
  fileSize: number
  expiresIn: number
}

/** A generic upload's answer also names the pending row that `/complete` commits. */
export interface SignedGenericUpload extends SignedUpload {
  uploadId: string
}

/** The metadata keyed as storage keeps it, for the signer and for comparing with a stored object. */
export function uploadMetadata(values: UploadMetadataValues): Record<string, string> {
  return Object.fromEntries(METADATA_FIELDS.map(field => [UPLOAD_METADATA_KEYS[field], values[field]]))
}

/**
 * Exactly the headers the URL was signed with, reused unchanged. Content-Length is deliberately absent: the browser
 * sets it from the body, and storage compares it with the signed size.
 */
export function signedUploadHeaders(signed: Pick<SignedUpload, 'contentType' | UploadMetadataField> & Partial<SignedUpload>): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': signed.contentType }
  for (const field of METADATA_FIELDS) headers[UPLOAD_METADATA_HEADERS[field]] = signed[field]
  return headers
}
