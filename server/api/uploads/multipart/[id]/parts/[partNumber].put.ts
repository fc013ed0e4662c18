export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'multipartParts', user.id)
  const { id, partNumber } = await readValidatedParams(event, multipartPartParamsSchema, UPLOAD_NOT_FOUND)
  const { etag } = await readValidatedJson(event, multipartPartRecordSchema)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  checkPartNumbers(upload, [partNumber])
  // A part sent again (a retry after a lost answer) replaces its ETag: storage keeps the last one too.
  await db.insert(tables.multipartUploadPart).values({ uploadId: upload.id, partNumber, etag })
    .onConflictDoUpdate({ target: [tables.multipartUploadPart.uploadId, tables.multipartUploadPart.partNumber], set: { etag, recordedAt: new Date() } })
  return { partNumber, etag }
})
