export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const upload = await findOwnUpload(useDB(event), getRouterParam(event, 'id'), user.id)
  if (upload.status !== 'committed') throw createError({ statusCode: 404, message: 'Upload not found' })

  const downloadUrl = await useSigner(event).presignGet({
    key: upload.key,
    contentDisposition: attachmentDisposition(upload.originalFilename),
  })
  return { downloadUrl, filename: upload.originalFilename, expiresIn: storageConfig.downloadUrlTtlSeconds }
})
