import { and, eq, ne } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const where = and(eq(tables.upload.id, id), eq(tables.upload.ownerId, user.id))
  // Row first, object second: a failure in between leaves a `deleted` row (never listed, 404 everywhere)
  // whose object the cleanup task deletes, never a listed upload that downloads nothing.
  const [upload] = await db.update(tables.upload).set({ status: 'deleted' })
    .where(and(where, ne(tables.upload.status, 'deleted'))).returning()
  if (!upload) throw createError(UPLOAD_NOT_FOUND)
  await discardStoredUpload(useEnv(event).GALLERY, upload)
  // The part rows of an aborted upload go now.
  if (upload.multipartId) await forgetParts(db, upload.id)
  // While its upload URL is valid the key holds a tombstone, and the row stays so the cleanup removes it after expiry.
  if (upload.expiresAt <= orphanCutoff()) await db.delete(tables.upload).where(where)
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: upload.key, filename: upload.originalFilename, contentType: upload.contentType, size: upload.declaredSize })
  return { id: upload.id, deleted: true }
})
