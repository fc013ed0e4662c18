export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'downloadUrls', user.id)
  const key = await currentProfileImageKey(event, user)
  // A key assigned but never uploaded (or removed) has no image: report none rather than a broken link.
  const object = key ? await currentProfileImage(useEnv(event).GALLERY, key) : null
  if (!key || !object) return { hasImage: false as const }

  const downloadUrl = await useSigner(event).presignGet({ key })
  const filename = decodeMetadataValue(object.customMetadata?.[UPLOAD_METADATA_KEYS.originalFilename]) ?? profileImagePolicy.defaultFilename
  recordPresignEvent(event, { userId: user.id, action: 'get', key, filename, contentType: object.httpMetadata?.contentType, size: object.size })
  return { hasImage: true as const, downloadUrl, filename, expiresIn: storageConfig.downloadUrlTtlSeconds }
})
