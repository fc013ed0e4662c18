import { and, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const db = useDB(event)
  const upload = await findOwnUpload(db, getRouterParam(event, 'id'), user.id)
  // Object first: should the row delete then fail, the row is still listed and a retry finishes the job
  // (deleting a missing object is a no-op). The other order could strand an object nothing points to.
  await useEnv(event).GALLERY.delete(upload.key)
  await db.delete(tables.upload).where(and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, user.id)))
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: upload.key, contentType: upload.contentType, size: upload.declaredSize })
  return { id: upload.id, deleted: true }
})
