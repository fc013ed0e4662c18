import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(uploadsConfig.maxListPageSize).default(uploadsConfig.listPageSize),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const parsed = querySchema.safeParse(getQuery(event))
  if (!parsed.success) throw createError({ statusCode: 400, message: 'limit and offset must be non-negative whole numbers' })
  const { limit, offset } = parsed.data

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
