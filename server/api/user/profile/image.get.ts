export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'downloadUrls', user.id)
  // A key assigned but never uploaded (or deleted) has no object: report no image rather than a broken link.
  const object = user.image ? await useEnv(event).GALLERY.head(user.image) : null
  if (!user.image || !object) return { hasImage: false as const }

  const downloadUrl = await useSigner(event).presignGet({ key: user.image })
  recordPresignEvent(event, { userId: user.id, action: 'get', key: user.image, contentType: object.httpMetadata?.contentType, size: object.size })
  const filename = decodeMetadataValue(object.customMetadata?.['original-filename']) ?? profileImageConfig.defaultFilename
  return { hasImage: true as const, downloadUrl, filename, expiresIn: storageConfig.downloadUrlTtlSeconds }
})
