import type { H3Event } from 'h3'

export interface SignedUploadInput {
  key: string
  contentType: string
  fileSize: number
  /** Already normalised; encoded here into the header value that is signed. */
  filename: string
  userId: string
  /** What the key must hold when the PUT arrives: nothing (a new key) or the object with this ETag. */
  condition: UploadCondition
}

/**
 * Signs a PUT for every upload: content-type, content-length, the upload metadata headers and a write condition, with
 * one timestamp. Returns the shared contract's answer, i.e. exactly the values that were signed and the headers to send.
 */
export async function signUpload(event: H3Event, { key, contentType, fileSize, filename, userId, condition }: SignedUploadInput): Promise<SignedUpload> {
  const signedMetadata = { originalFilename: encodeMetadataValue(filename), uploadedBy: userId, uploadedAt: new Date().toISOString() }
  const presignedUrl = await useSigner(event).presignPut({
    key,
    contentType,
    contentLength: fileSize,
    metadata: uploadMetadata(signedMetadata),
    condition,
  })
  recordPresignEvent(event, { userId, action: 'put', key, filename, contentType, size: fileSize })
  return {
    presignedUrl, key, contentType, fileSize, expiresIn: storageConfig.uploadUrlTtlSeconds, ...signedMetadata,
    headers: signedUploadHeaders({ contentType, ...signedMetadata }, condition),
  }
}
