import type { H3Event } from 'h3'

export interface SignedUploadInput {
  key: string
  contentType: string
  fileSize: number
  /** Already normalised; encoded here into the header value that is signed. */
  filename: string
  userId: string
}

/**
 * Signs a PUT the way the spec wants for every upload: content-type, content-length and the upload metadata
 * headers, with one timestamp. Returns the shared contract's answer, i.e. exactly the values that were signed.
 */
export async function signUpload(event: H3Event, { key, contentType, fileSize, filename, userId }: SignedUploadInput): Promise<SignedUpload> {
  const signedMetadata = { originalFilename: encodeMetadataValue(filename), uploadedBy: userId, uploadedAt: new Date().toISOString() }
  const presignedUrl = await useSigner(event).presignPut({
    key,
    contentType,
    contentLength: fileSize,
    metadata: uploadMetadata(signedMetadata),
  })
  recordPresignEvent(event, { userId, action: 'put', key, filename, contentType, size: fileSize })
  return { presignedUrl, key, contentType, fileSize, expiresIn: storageConfig.uploadUrlTtlSeconds, ...signedMetadata }
}
