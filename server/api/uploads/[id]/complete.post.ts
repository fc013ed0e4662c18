export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnUpload(db, id, user.id)
  if (upload.status === 'committed') return toUploadView(upload)
  if (upload.expiresAt < orphanCutoff()) throw createError({ statusCode: 410, message: 'This upload expired; please upload the file again' })
  if (upload.multipartId) throw createError({ statusCode: 409, message: 'This upload is sent in parts; complete it with /api/uploads/multipart/:id/complete' })
  const bucket = useEnv(event).GALLERY
  return commitVerifiedUpload(db, bucket, upload, await bucket.head(upload.key))
})
