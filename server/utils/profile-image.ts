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
