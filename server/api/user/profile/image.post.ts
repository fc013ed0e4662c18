import { z } from 'zod'

const bodySchema = z.object({
  contentType: z.enum(profileImageConfig.allowedContentTypes, `must be one of ${profileImageConfig.allowedContentTypes.join(', ')}`),
  fileSize: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte')
    .max(profileImageConfig.maxBytes, `must be at most ${profileImageConfig.maxBytes} bytes`),
  originalFilename: filenameSchema(profileImageConfig.maxFilenameLength).optional(),
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { contentType, fileSize, originalFilename: rawFilename } = await readValidBody(event, bodySchema)

  const key = user.image ?? await assignProfileImageKey(useDB(event), user.id)
  const originalFilename = encodeMetadataValue(normaliseFilename(rawFilename, profileImageConfig.defaultFilename))
  const uploadedAt = new Date().toISOString()
  const presignedUrl = await useSigner(event).presignPut({
    key,
    contentType,
    contentLength: fileSize,
    metadata: { 'original-filename': originalFilename, 'uploaded-by': user.id, 'uploaded-at': uploadedAt },
  })

  return {
    presignedUrl,
    key,
    contentType,
    fileSize,
    expiresIn: storageConfig.uploadUrlTtlSeconds,
    uploadedBy: user.id,
    uploadedAt,
    originalFilename,
  }
})
