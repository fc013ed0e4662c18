export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'multipartParts', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const { partNumbers } = await readValidatedJson(event, multipartSignRequestSchema)
  const upload = await findOwnPendingMultipart(useDB(event), id, user.id)
  checkPartNumbers(upload, partNumbers)
  const parts = await signParts(event, upload, partNumbers)
  recordPresignEvent(event, { userId: user.id, action: 'put', key: upload.key, filename: upload.originalFilename, incidental: true, contentType: upload.contentType, size: parts.reduce((sum, part) => sum + part.size, 0) })
  return { parts }
})
