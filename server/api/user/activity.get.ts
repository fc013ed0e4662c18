import { desc, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const events = await useDB(event)
    .select({
      action: tables.presignEvent.action,
      key: tables.presignEvent.key,
      contentType: tables.presignEvent.contentType,
      size: tables.presignEvent.size,
      createdAt: tables.presignEvent.createdAt,
    })
    .from(tables.presignEvent)
    .where(eq(tables.presignEvent.userId, user.id))
    .orderBy(desc(tables.presignEvent.createdAt), desc(tables.presignEvent.id))
    .limit(auditConfig.recentActivityLimit)
  return { items: events }
})
