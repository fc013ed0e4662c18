import { and, desc, eq, sql } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const { presignEvent, upload, user: users } = tables
  const rows = await useDB(event)
    .select({
      action: presignEvent.action,
      key: presignEvent.key,
      filename: sql<string | null>`coalesce(${presignEvent.filename}, ${upload.originalFilename})`,
      size: presignEvent.size,
      createdAt: presignEvent.createdAt,
      uploadStatus: upload.status,
      profile: sql<boolean>`${presignEvent.key} = ${users.image}`,
      earlierProfileImage: sql<boolean>`${presignEvent.key} like ${users.image} || '/v/%'`,
    })
    .from(presignEvent)
    // Rows written before the audit kept file names still find theirs on the upload.
    .leftJoin(upload, and(eq(upload.key, presignEvent.key), eq(upload.ownerId, user.id)))
    // The profile image is the one key kept on the user (its earlier images live under it): no second query for it.
    .leftJoin(users, eq(users.id, user.id))
    // Thumbnails signed for the page to show, part URLs of an upload already listed: not something the person did.
    .where(and(eq(presignEvent.userId, user.id), eq(presignEvent.incidental, false)))
    .orderBy(desc(presignEvent.createdAt), desc(presignEvent.id))
    .limit(auditConfig.activityRowsScanned)
  const items = summariseActivity(rows, {
    freshForMs: storageConfig.downloadUrlTtlSeconds * 1000,
    limit: auditConfig.recentActivityLimit,
  })
  return { items }
})
