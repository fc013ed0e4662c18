import { and, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  const where = and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, user.id))
  // Tombstone first: a /complete finishing meanwhile then finds no pending row and commits nothing. Should storage
  // fail below, the tombstone stays and the cleanup aborts and deletes after expiry.
  const [tombstone] = await db.update(tables.upload).set({ status: 'deleted' })
    .where(and(where, eq(tables.upload.status, 'pending'))).returning({ id: tables.upload.id })
  if (!tombstone) throw createError(UPLOAD_NOT_FOUND)
  await discardStoredUpload(useEnv(event).GALLERY, upload)
  // Once aborted, no part URL can write anything, so the row can go at once, unless a preview URL still can: then the
  // deleted row stays until the cleanup removes the preview's tombstone after expiry.
  if (!leavesPreviewTombstone(upload)) await db.delete(tables.upload).where(where)
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: upload.key, filename: upload.originalFilename, contentType: upload.contentType, size: upload.declaredSize })
  return { id: upload.id, aborted: true }
})
