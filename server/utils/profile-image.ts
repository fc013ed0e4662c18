import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
import { createError, type H3Event } from 'h3'
import { eq, sql } from 'drizzle-orm'
import { IMAGE_SNIFF_BYTES, imageBytesMatch } from './image-sniff'
import { createIsolateMemo } from './isolate-memo'
import { ACCOUNT_GONE, TOMBSTONE_BODY, tombstoneMetadata, tombstoneReason } from './tombstone'

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

// Upload URLs for the stable key are write-once (If-Match on the ETag the key held when signed), so nothing a URL
// issued earlier can write lands after a delete, a restore or another upload. The marker next to the key records when
// the image was last removed, for /confirm to tell "no image before" from "an earlier image to put back".
const deletionMarkerKey = (key: string) => `${key}/deleted`

/** Objects stored next to a profile image (its deletion marker), which go with the account. */
export function profileImageCompanionKeys(key: string): string[] {
  return [deletionMarkerKey(key)]
}
const DELETED_AT = 'deleted-at'

/** Removes the current profile image: a tombstone takes the key, so no upload URL issued before now can write it. */
export async function deleteProfileImage(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.put(deletionMarkerKey(key), '', { customMetadata: { [DELETED_AT]: new Date().toISOString() } })
  await putTombstone(bucket, key, 'removed')
}

/** When the image was last deleted (ms since the epoch), or null if never. */
export async function profileImageDeletedAt(bucket: R2Bucket, key: string): Promise<number | null> {
  const marker = await bucket.head(deletionMarkerKey(key))
  const deletedAt = Date.parse(marker?.customMetadata?.[DELETED_AT] ?? '')
  return Number.isNaN(deletedAt) ? null : deletedAt
}

export interface ProfileImageOnKey {
  /** What the key holds (the image, a tombstone or nothing): the next upload URL is signed for its ETag. */
  stored: R2Object | null
  /** The current image: stored bytes that are the image type they were signed as. */
  image: R2Object | null
  /** Found bytes that were not the image type they were signed as (this type), replaced by a tombstone just now. */
  rejectedType: string | null
}

// Object versions (one per write, never reused) whose first bytes this isolate has read and found to be their signed
// image type: a later read of the same version needs only the metadata. Bounded, oldest dropped first.
const checkedImageVersions = createIsolateMemo<string>({ max: 10_000 })

const NOTHING_ON_KEY: ProfileImageOnKey = { stored: null, image: null, rejectedType: null }

/** A tombstone on the key, from its metadata (a deleted account's answers 401); undefined for any other object. */
function tombstoneOnKey(object: R2Object): ProfileImageOnKey | undefined {
  const reason = tombstoneReason(object)
  if (reason === 'account-deleted') throw createError(ACCOUNT_GONE)
  if (reason) return { stored: object, image: null, rejectedType: null }
}

/** What the key holds, from its metadata alone when it is a tombstone or a version already checked here; else undefined. */
async function readKnownProfileImage(bucket: R2Bucket, key: string): Promise<ProfileImageOnKey | undefined> {
  const object = await bucket.head(key)
  if (!object) return NOTHING_ON_KEY
  const tombstone = tombstoneOnKey(object)
  if (tombstone) return tombstone
  if (checkedImageVersions.get(key) === object.version) return { stored: object, image: object, rejectedType: null }
}

/**
 * Reads what the stable key holds: metadata and the first bytes (one ranged GET), sniffed against the signed type, so
 * bytes PUT without /confirm are never served, kept or restored. A version this isolate has checked before costs a
 * HEAD instead (cheaper than the GET, as no bytes are read). A deleted account's key answers 401.
 */
export async function readProfileImage(bucket: R2Bucket, key: string): Promise<ProfileImageOnKey> {
  // A key never checked here goes straight to the GET; a HEAD would only come first.
  if (checkedImageVersions.get(key) !== undefined) {
    const known = await readKnownProfileImage(bucket, key)
    if (known) return known
  }
  for (let attempt = 1; ; attempt++) {
    const object = await bucket.get(key, { range: { offset: 0, length: IMAGE_SNIFF_BYTES } })
    if (!object) return NOTHING_ON_KEY
    const bytes = new Uint8Array(await object.arrayBuffer())
    const tombstone = tombstoneOnKey(object)
    if (tombstone) return tombstone
    if (object.size > 0 && imageBytesMatch(object.httpMetadata?.contentType ?? '', bytes)) {
      checkedImageVersions.set(key, object.version)
      return { stored: object, image: object, rejectedType: null }
    }
    // Only these bytes: an upload that landed since the read is read again rather than overwritten.
    const replaced = await bucket.put(key, TOMBSTONE_BODY, { customMetadata: tombstoneMetadata('removed'), onlyIf: { etagMatches: object.etag } })
    if (replaced) return { stored: replaced, image: null, rejectedType: object.httpMetadata?.contentType ?? 'unknown' }
    if (attempt === 3) throw createError({ statusCode: 409, message: 'Your image changed while it was being checked. Please try again.' })
  }
}

/** The current profile image object, or null (none, removed, or bytes that are not the signed image type). */
export async function currentProfileImage(bucket: R2Bucket, key: string): Promise<R2Object | null> {
  return (await readProfileImage(bucket, key)).image
}

/** The write condition for the next upload URL: the key must still hold exactly what it holds now. */
export function profileUploadCondition(onKey: ProfileImageOnKey): UploadCondition {
  return onKey.stored ? { ifMatch: onKey.stored.etag } : { ifNoneMatch: '*' }
}
