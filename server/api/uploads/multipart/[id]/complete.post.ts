export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnUpload(db, id, user.id)
  if (upload.status === 'committed') return toUploadView(upload)
  return completeMultipart(event, db, asPendingMultipart(upload))
})
