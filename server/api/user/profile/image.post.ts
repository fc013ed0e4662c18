import { z } from 'zod'

const bodySchema = z.object({
  contentType: z.enum(profileImageConfig.allowedContentTypes, `must be one of ${profileImageConfig.allowedContentTypes.join(', ')}`),
  fileSize: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte')
    .max(profileImageConfig.maxBytes, `must be at most ${profileImageConfig.maxBytes} bytes`),
  originalFilename: filenameSchema(profileImageConfig.maxFilenameLength).optional(),
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { contentType, fileSize, originalFilename } = await readValidBody(event, bodySchema)

  // The key is stable, so once the session cache carries it this request needs no SQL at all.
  let key = user.image
  if (!key) {
    key = await assignProfileImageKey(useDB(event), user.id)
    await cacheProfileImageKey(event, key)
  }
  const filename = normaliseFilename(originalFilename, profileImageConfig.defaultFilename)
  return signUpload(event, { key, contentType, fileSize, filename, userId: user.id })
})
