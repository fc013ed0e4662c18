export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'multipartParts', user.id)
  const { id, partNumber } = await readValidatedParams(event, multipartPartParamsSchema, UPLOAD_NOT_FOUND)
  const { etag } = await readValidatedJson(event, multipartPartRecordSchema)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  checkPartNumbers(upload, [partNumber])
  await recordParts(db, upload.id, [{ partNumber, etag }])
  return { partNumber, etag }
})
