import { z } from 'zod'

const bodySchema = z.object({
  filename: filenameSchema(uploadsConfig.maxFilenameLength).refine(name => name.trim().length > 0, 'must not be empty'),
  contentType: z.enum(allowedUploadContentTypes, 'is not an allowed file type'),
  fileSize: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte')
    .max(uploadsConfig.maxBytes, `must be at most ${uploadsConfig.maxBytes} bytes`),
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { filename: rawFilename, contentType, fileSize } = await readValidBody(event, bodySchema)

  const id = crypto.randomUUID()
  const filename = normaliseFilename(rawFilename, uploadsConfig.fallbackExtension)
  const key = `${crypto.randomUUID()}.${extensionFor(contentType, filename)}`
  await useDB(event).insert(tables.upload).values({
    id,
    ownerId: user.id,
    key,
    originalFilename: filename,
    contentType,
    declaredSize: fileSize,
    expiresAt: new Date(Date.now() + storageConfig.uploadUrlTtlSeconds * 1000),
  })
  return { ...await signUpload(event, { key, contentType, fileSize, filename, userId: user.id }), uploadId: id }
})
