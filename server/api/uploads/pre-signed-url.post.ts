export default defineEventHandler(async (event): Promise<SignedGenericUpload> => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { filename: rawFilename, contentType, fileSize } = await readValidatedJson(event, uploadRequestSchema)

  const id = crypto.randomUUID()
  const filename = normaliseFilename(rawFilename, uploadPolicy.fallbackExtension)
  const key = `${crypto.randomUUID()}.${extensionFor(contentType, filename)}`
  await reserveUpload(useDB(event), {
    id,
    ownerId: user.id,
    key,
    originalFilename: filename,
    contentType,
    declaredSize: fileSize,
    expiresAt: new Date(Date.now() + storageConfig.uploadUrlTtlSeconds * 1000),
  })
  return { ...await signUpload(event, { key, contentType, fileSize, filename, userId: user.id, condition: { ifNoneMatch: '*' } }), uploadId: id }
})
