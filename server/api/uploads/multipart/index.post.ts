export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'uploadUrls', user.id)
  const { filename: rawFilename, contentType, fileSize, preview } = await readValidatedJson(event, multipartUploadRequestSchema)

  const filename = normaliseFilename(rawFilename, uploadPolicy.fallbackExtension)
  const upload = await startMultipart(event, useDB(event), {
    id: crypto.randomUUID(),
    ownerId: user.id,
    key: `${crypto.randomUUID()}.${extensionFor(contentType, filename)}`,
    originalFilename: filename,
    contentType,
    declaredSize: fileSize,
    expiresAt: new Date(Date.now() + storageConfig.uploadUrlTtlSeconds * 1000),
  })
  recordPresignEvent(event, { userId: user.id, action: 'put', key: upload.key, filename, contentType, size: fileSize })
  if (!preview) return multipartView(upload)
  return { ...multipartView(upload), preview: await signPreview(event, { key: upload.key, filename, userId: user.id, preview }) }
})
