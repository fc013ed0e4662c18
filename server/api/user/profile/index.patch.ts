import { eq } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const user = await requireUser(event)
  const { name } = await readValidatedJson(event, profileUpdateSchema)
  // Each update is a write and drops the session cache: counted with the other changes (a refused body is neither).
  await enforceRateLimit(event, 'changes', user.id)
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
