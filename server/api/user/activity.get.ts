import { and, desc, eq, sql } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const { presignEvent, upload } = tables
  const rows = await useDB(event)
    .select({
      action: presignEvent.action,
      key: presignEvent.key,
      filename: sql<string | null>`coalesce(${presignEvent.filename}, ${upload.originalFilename})`,
      size: presignEvent.size,
      createdAt: presignEvent.createdAt,
      uploadStatus: upload.status,
    })
    .from(presignEvent)
    // Rows written before the audit kept file names still find theirs on the upload.
    .leftJoin(upload, and(eq(upload.key, presignEvent.key), eq(upload.ownerId, user.id)))
    .where(eq(presignEvent.userId, user.id))
    .orderBy(desc(presignEvent.createdAt), desc(presignEvent.id))
    .limit(auditConfig.activityRowsScanned)
  const items = summariseActivity(rows, {
    profileKey: await currentProfileImageKey(event, user),
    freshForMs: storageConfig.downloadUrlTtlSeconds * 1000,
    limit: auditConfig.recentActivityLimit,
  })
  return { items }
})
