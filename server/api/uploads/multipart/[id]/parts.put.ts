export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'multipartParts', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const { parts } = await readValidatedJson(event, multipartPartsRecordSchema)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  checkPartNumbers(upload, parts.map(part => part.partNumber))
  await recordParts(db, upload.id, parts)
  return { parts }
})
