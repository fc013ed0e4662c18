export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  await enforceRateLimit(event, 'downloadUrls', user.id)
  const upload = await findOwnUpload(useDB(event), id, user.id)
  if (upload.status !== 'committed') throw createError({ statusCode: 404, message: 'Upload not found' })

  const downloadUrl = await useSigner(event).presignGet({
    key: upload.key,
    contentDisposition: attachmentDisposition(upload.originalFilename),
  })
  recordPresignEvent(event, { userId: user.id, action: 'get', key: upload.key, filename: upload.originalFilename, contentType: upload.contentType, size: upload.declaredSize })
  return { downloadUrl, filename: upload.originalFilename, expiresIn: storageConfig.downloadUrlTtlSeconds }
})
