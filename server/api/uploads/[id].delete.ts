import { and, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnUpload(db, id, user.id)
  await useEnv(event).GALLERY.delete(upload.key)
  // While its upload URL could still write the key, the row stays as a tombstone (never listed, 404 everywhere)
  // so the cleanup task deletes whatever lands there later; after that, the row simply goes.
  const where = and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, user.id))
  if (upload.expiresAt > orphanCutoff()) await db.update(tables.upload).set({ status: 'deleted' }).where(where)
  else await db.delete(tables.upload).where(where)
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: upload.key, contentType: upload.contentType, size: upload.declaredSize })
  return { id: upload.id, deleted: true }
})
