import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
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

// The stable key and a 24 h upload URL mean a URL issued before a delete (an upload still in flight, a leaked URL)
// could put the image back afterwards. A delete therefore leaves a marker next to the key with its time; an object
// whose signed `uploaded-at` is not later than that marker came through such a URL and is removed when seen.
const deletionMarkerKey = (key: string) => `${key}/deleted`

/** Objects stored next to a profile image (its deletion marker), which go with the account. */
export function profileImageCompanionKeys(key: string): string[] {
  return [deletionMarkerKey(key)]
}
const DELETED_AT = 'deleted-at'

/** Deletes the current profile image so that no upload URL issued before now can bring it back. */
export async function deleteProfileImage(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.put(deletionMarkerKey(key), '', { customMetadata: { [DELETED_AT]: new Date().toISOString() } })
  await bucket.delete(key)
}

/** When the image was last deleted (ms since the epoch), or null if never. */
export async function profileImageDeletedAt(bucket: R2Bucket, key: string): Promise<number | null> {
  const marker = await bucket.head(deletionMarkerKey(key))
  const deletedAt = Date.parse(marker?.customMetadata?.[DELETED_AT] ?? '')
  return Number.isNaN(deletedAt) ? null : deletedAt
}

/** The current profile image object, or null; a stray written through a URL older than the last delete is removed. */
export async function currentProfileImage(bucket: R2Bucket, key: string): Promise<R2Object | null> {
  const [object, marker] = await Promise.all([bucket.head(key), bucket.head(deletionMarkerKey(key))])
  if (!object || !marker) return object
  const uploadedAt = Date.parse(object.customMetadata?.[UPLOAD_METADATA_KEYS.uploadedAt] ?? '')
  const deletedAt = Date.parse(marker.customMetadata?.[DELETED_AT] ?? '')
  if (!(uploadedAt <= deletedAt)) return object
  await bucket.delete(key)
  return null
}
