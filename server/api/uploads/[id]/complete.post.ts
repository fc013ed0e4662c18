import { and, eq, gt } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'changes', user.id)
  const { id } = await readValidatedParams(event, uploadIdParamsSchema, UPLOAD_NOT_FOUND)
  const db = useDB(event)
  const upload = await findOwnUpload(db, id, user.id)
  if (upload.status === 'committed') return toUploadView(upload)
  if (upload.expiresAt < orphanCutoff()) throw createError({ statusCode: 410, message: 'This upload expired; please upload the file again' })

  await verifyStoredUpload(useEnv(event).GALLERY, upload, user.id)

  // Only a still-pending, not-yet-abandoned row is committed: cleanup may be deleting expired ones right now.
  const [committed] = await db.update(tables.upload)
    .set({ status: 'committed', committedAt: new Date() })
    .where(and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, user.id), eq(tables.upload.status, 'pending'), gt(tables.upload.expiresAt, orphanCutoff())))
    .returning()
  if (!committed) throw createError({ statusCode: 409, message: 'The upload changed while completing; refresh and try again' })
  return toUploadView(committed)
})
