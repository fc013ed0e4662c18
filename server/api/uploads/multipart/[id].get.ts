export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  return { ...multipartView(upload), parts: await recordedParts(db, upload.id) }
})
