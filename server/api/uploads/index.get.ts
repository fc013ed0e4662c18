import { and, desc, eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  await enforceRateLimit(event, 'lists', user.id)
  const { limit, offset } = await readValidatedQuery(event, uploadListQuerySchema,
    { statusCode: 400, message: 'limit and offset must be non-negative whole numbers' })

  // One row more than asked tells whether another page exists.
  const rows = await useDB(event).select().from(tables.upload)
    .where(and(eq(tables.upload.ownerId, user.id), eq(tables.upload.status, 'committed')))
    .orderBy(desc(tables.upload.createdAt), desc(tables.upload.id))
    .limit(limit + 1)
    .offset(offset)
  return {
    items: rows.slice(0, limit).map(toUploadView),
    nextOffset: rows.length > limit ? offset + limit : null,
  }
})
