import type { H3Event } from 'h3'
import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
import { previewPolicy, wantsPreview } from '../../shared/utils/policy'
import { previewKeyOf, signedUploadHeaders, uploadMetadata, UPLOAD_METADATA_KEYS, type SignedPreview } from '../../shared/utils/upload-contract'
import { IMAGE_SNIFF_BYTES, imageBytesMatch } from './image-sniff'
import { putTombstone } from './tombstone'

// An image upload's preview: a small WebP the browser makes and PUTs beside the object (`<key>.preview.webp`), so the
// grid never downloads originals. The Worker signs it and checks it; its bytes never pass through here.

export interface PreviewSigningInput {
  /** The upload's own key; the preview's is derived from it. */
  key: string
  filename: string
  userId: string
  preview: { contentType: string, fileSize: number }
}

/**
 * A write-once PUT for the preview, signed like the object's (type, exact size, the owner in `uploaded-by`,
 * If-None-Match: *), so storage refuses any other size or type and /complete can tell whose it is.
 */
export async function signPreview(event: H3Event, { key, filename, userId, preview }: PreviewSigningInput): Promise<SignedPreview> {
  const previewKey = previewKeyOf(key)
  const { contentType, fileSize } = preview
  const signedMetadata = { originalFilename: encodeMetadataValue(filename), uploadedBy: userId, uploadedAt: new Date().toISOString() }
  const condition = { ifNoneMatch: '*' } as const
  const presignedUrl = await useSigner(event).presignPut({
    key: previewKey, contentType, contentLength: fileSize, metadata: uploadMetadata(signedMetadata), condition,
  })
  recordPresignEvent(event, { userId, action: 'put', key: previewKey, filename, incidental: true, contentType, size: fileSize })
  return {
    presignedUrl, key: previewKey, contentType, fileSize, expiresIn: storageConfig.uploadUrlTtlSeconds,
    headers: signedUploadHeaders({ contentType, ...signedMetadata }, condition),
  }
}

/** Why a stored object is not a preview this owner may show (type, size, uploader), or null when it is. */
export function previewMismatch(object: Pick<R2Object, 'size' | 'httpMetadata' | 'customMetadata'>, ownerId: string): string | null {
  if (object.httpMetadata?.contentType !== previewPolicy.contentType) return 'not a WebP image'
  if (object.size < 1 || object.size > previewPolicy.maxBytes) return `size ${object.size} is outside 1..${previewPolicy.maxBytes} bytes`
  if (object.customMetadata?.[UPLOAD_METADATA_KEYS.uploadedBy] !== ownerId) return 'not uploaded by the owner'
  return null
}

/**
 * The size of the upload's preview when storage holds a valid one, else null. Checked rather than trusted: the
 * browser may have skipped the PUT or failed it, and a correctly signed URL still takes any bytes, so only a WebP of
 * at most the cap, uploaded by the owner, whose first bytes are WebP, is recorded; anything else found there is
 * deleted so it is never shown. A missing or bad preview never fails the upload itself.
 */
export async function storedPreviewSize(bucket: R2Bucket, upload: Pick<UploadRow, 'key' | 'ownerId' | 'contentType' | 'declaredSize'>): Promise<number | null> {
  if (!wantsPreview(upload.contentType, upload.declaredSize)) return null
  return checkedPreviewSize(bucket, previewKeyOf(upload.key), upload.ownerId).catch((error: unknown) => {
    // Storage failing here costs the thumbnail, not the upload: the grid shows the original instead.
    console.warn(JSON.stringify({ event: 'uploads.preview_unchecked', error: error instanceof Error ? error.name : 'unknown' }))
    return null
  })
}

/** One ranged GET, as readProfileImage reads its key: the metadata and the first bytes in a single storage call. */
async function checkedPreviewSize(bucket: R2Bucket, key: string, ownerId: string): Promise<number | null> {
  const object = await bucket.get(key, { range: { offset: 0, length: IMAGE_SNIFF_BYTES } })
  if (!object) return null
  const mismatch = previewMismatch(object, ownerId)
  if (!mismatch && imageBytesMatch(previewPolicy.contentType, new Uint8Array(await object.arrayBuffer()))) return object.size
  console.warn(JSON.stringify({ event: 'uploads.preview_refused', reason: mismatch ?? 'bytes are not WebP' }))
  await bucket.delete(key)
  return null
}

/** Whether removing the upload leaves a preview tombstone that only its row leads the cleanup to. */
export function leavesPreviewTombstone(upload: { contentType: string, declaredSize: number, expiresAt: Date }): boolean {
  return wantsPreview(upload.contentType, upload.declaredSize) && upload.expiresAt > orphanCutoff()
}

/**
 * Removes an upload's preview with its object. Its URL is write-once like the object's, so while that URL may still be
 * used the key gets a tombstone (which the cleanup deletes after expiry), else a plain delete.
 */
export async function discardStoredPreview(bucket: R2Bucket, upload: { key: string, contentType: string, declaredSize: number, expiresAt: Date }): Promise<void> {
  if (!wantsPreview(upload.contentType, upload.declaredSize)) return
  const key = previewKeyOf(upload.key)
  if (leavesPreviewTombstone(upload)) await putTombstone(bucket, key, 'deleted')
  else await bucket.delete(key)
}
