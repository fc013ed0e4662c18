import type { H3Event } from 'h3'
import { eq, sql } from 'drizzle-orm'

/**
 * The user's stable profile-image key: assigned once, in one statement, so parallel first uploads agree on it.
 * The key is kept when the image is deleted, so the next upload reuses it.
 */
export async function assignProfileImageKey(db: Database, userId: string): Promise<string> {
  const [row] = await db.update(tables.user)
    .set({ image: sql`coalesce(${tables.user.image}, ${crypto.randomUUID()})` })
    .where(eq(tables.user.id, userId))
    .returning({ image: tables.user.image })
  if (!row?.image) throw createError({ statusCode: 404, message: 'This account no longer exists' })
  return row.image
}

/**
 * The user's key from the session cookie cache, or from the database when the cache predates the key (a key, once
 * set, never changes, so only "none yet" can be stale). A key found that way is written back into the cache.
 */
export async function currentProfileImageKey(event: H3Event, user: { id: string, image?: string | null }): Promise<string | null> {
  if (user.image) return user.image
  const [row] = await useDB(event).select({ image: tables.user.image }).from(tables.user).where(eq(tables.user.id, user.id))
  if (row?.image) await cacheProfileImageKey(event, row.image)
  return row?.image ?? null
}
