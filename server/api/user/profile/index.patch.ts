import { eq } from 'drizzle-orm'
import { z } from 'zod'

// Strict: `image` (the storage key) or any other field is refused, never silently dropped.
const bodySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
    .refine(name => name.isWellFormed(), 'must be valid Unicode text')
    .refine(name => !CONTROL_CHARACTERS.test(name), 'must not contain control characters'),
})

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { name } = await readValidBody(event, bodySchema)
  // Only the name is written: `image` (the storage key) is never part of a profile update.
  const [updated] = await useDB(event).update(tables.user)
    .set({ name, updatedAt: new Date() })
    .where(eq(tables.user.id, user.id))
    .returning({ id: tables.user.id, name: tables.user.name, email: tables.user.email })
  if (!updated) throw createError({ statusCode: 404, message: 'This account no longer exists' })
  // The cached session still holds the old name: the next request reads the new one from the database.
  await expireSessionCache(event)
  return updated
})
