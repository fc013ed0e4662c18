import { and, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnPendingMultipart(db, id, user.id)
  // Storage first: should the abort fail, the row stays and the cleanup aborts it after expiry.
  await abortMultipart(useEnv(event).GALLERY, upload.key, upload.multipartId)
  await db.delete(tables.upload).where(and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, user.id), eq(tables.upload.status, 'pending')))
  recordPresignEvent(event, { userId: user.id, action: 'delete', key: upload.key, contentType: upload.contentType, size: upload.declaredSize })
  return { id: upload.id, aborted: true }
})
