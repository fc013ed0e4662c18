export default defineEventHandler(async (event): Promise<SignedGenericUpload> => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { filename: rawFilename, contentType, fileSize, preview } = await readValidatedJson(event, uploadRequestSchema)

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
  const signed = await signUpload(event, { key, contentType, fileSize, filename, userId: user.id, condition: { ifNoneMatch: '*' } })
  if (!preview) return { ...signed, uploadId: id }
  return { ...signed, uploadId: id, preview: await signPreview(event, { key, filename, userId: user.id, preview }) }
})
