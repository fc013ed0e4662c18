import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
import type { H3Event } from 'h3'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'

// Profile image history. The stable key stays the current image; earlier ones are copies made inside
// storage under `<key>/v/<id>`, one profile_image_version row each. `<key>/v/newest` is an empty marker holding the
// ETag of the newest kept copy, so a presign that finds the current image already kept costs two storage reads and no SQL.

export const VERSION_NOT_FOUND = { statusCode: 404, message: 'No such earlier image' }
const SOURCE_ETAG = 'source-etag'

export const versionPrefix = (key: string) => `${key}/v/`
/** `<key>/v/` from one of its version keys. */
export const versionPrefixOf = (versionKey: string) => versionKey.slice(0, versionKey.lastIndexOf('/') + 1)
const newestMarkerKey = (key: string) => `${versionPrefix(key)}newest`

// The marker's answer "these bytes are kept" (the ETag it names), as this isolate last read or wrote it, trusted by a
// presign for a few seconds: the URL it signs stays valid far longer, so a version deleted meanwhile through another
// isolate is a race that URL already has. A delete or restore through this isolate forgets it at once.
const recentlyKept = createIsolateMemo<string>({ max: 10_000, ttlMs: 10_000 })

/** How many earlier images this deployment keeps (0 = none: an upload simply overwrites). */
export function keptVersions(event: H3Event): number {
  const configured = Number.parseInt(useEnv(event).PROFILE_IMAGE_KEEP_VERSIONS ?? '', 10)
  return Number.isInteger(configured) && configured >= 0 ? configured : profileImageConfig.keepVersions
}

interface KeepOptions {
  /**
   * When the database cannot record the copy, drop it and answer 503 instead of going on: for callers about to
   * remove or replace the image (delete, restore), which must not do so with its only copy unlisted.
   */
  mustRecord?: boolean
  /** A version the trim must not take (the one being restored). */
  spare?: string
  /** The current image as the caller has just read it (readProfileImage), so it is not read twice. */
  current?: R2Object | null
}

/**
 * Keeps what the stable key holds now as a version, unless it already is the newest one (same ETag). Called before
 * anything may overwrite the key (an upload URL is answered, a version is restored, the image is removed). A failure
 * leaves the current image untouched: the copy only reads it. Resolves to the ETag of the image found on the key
 * (null: none), so a caller can tell whether it changed since.
 */
export async function keepCurrentImage(event: H3Event, userId: string, key: string, { mustRecord = false, spare, current: known }: KeepOptions = {}): Promise<string | null> {
  const limit = keptVersions(event)
  if (limit === 0) return null
  const bucket = useEnv(event).GALLERY
  // Callers about to remove or replace the image read the marker itself.
  if (!mustRecord && known && recentlyKept.get(key) === known.etag) return known.etag
  // Not a bare HEAD: bytes that are not the image type they were signed as are never kept.
  const [current, newest] = await Promise.all([known === undefined ? currentProfileImage(bucket, key) : known, bucket.head(newestMarkerKey(key))])
  if (!current) return null
  if (newest?.customMetadata?.[SOURCE_ETAG] === current.etag) {
    recentlyKept.set(key, current.etag)
    return current.etag
  }
  recentlyKept.delete(key)

  const id = crypto.randomUUID()
  const versionKey = `${versionPrefix(key)}${id}`
  await useSigner(event).copyObject({ source: key, destination: versionKey })
  // What was copied, not what the HEAD saw: an upload may have landed in between.
  const kept = await bucket.head(versionKey)
  if (!kept) throw createError({ statusCode: 502, message: 'Storage lost the copy of your current image' })

  let added: boolean
  try {
    added = await recordVersion(useDB(event), { id, ownerId: userId, key: versionKey, kept })
  }
  catch (error) {
    if (!causedByUnavailableDatabase(error) || mustRecord) {
      await bucket.delete(versionKey)
      throw causedByUnavailableDatabase(error) ? databaseUnavailableError(error) : error
    }
    // The database is down but the session cookie cache vouches for the user: the upload is still signed (as without
    // history). The copy stays in storage under the version prefix (safe, gone with the account, but not listed); the
    // marker is left alone so the next keep copies and records the image again.
    console.error(JSON.stringify({ event: 'profile_image.version_unrecorded', error: 'DatabaseUnavailable' }))
    return kept.etag
  }
  // Parallel presigns may all copy the same image: only the first becomes a row, the others' copies are dropped.
  if (!added) await bucket.delete(versionKey)
  await bucket.put(newestMarkerKey(key), '', { customMetadata: { [SOURCE_ETAG]: kept.etag } })
  recentlyKept.set(key, kept.etag)
  if (added) await trimVersions(useDB(event), bucket, userId, limit, spare)
  return kept.etag
}

/**
 * One row for a kept copy, unless the user's newest row already holds the same bytes: one call to
 * `record_profile_image_version` (drizzle/migrations/0010_record_profile_image_version.sql), which serialises one
 * owner's calls so parallel presigns keep an image once. Only the newest row is compared: uploading an older
 * version's bytes again is a new step in the history.
 */
async function recordVersion(db: Database, { id, ownerId, key, kept }: { id: string, ownerId: string, key: string, kept: R2Object }): Promise<boolean> {
  const filename = decodeMetadataValue(kept.customMetadata?.[UPLOAD_METADATA_KEYS.originalFilename]) ?? profileImagePolicy.defaultFilename
  const contentType = kept.httpMetadata?.contentType ?? 'application/octet-stream'
  const { rows } = await db.execute<{ added: boolean }>(sql`select record_profile_image_version(${id}::uuid, ${ownerId}, ${key},
    ${kept.size}::bigint, ${contentType}, ${filename}, ${kept.etag}) as added`)
  return rows[0]?.added === true
}

/** Deletes the versions beyond the newest `limit` (counting `spare` among them whatever its age): objects first, then rows. */
async function trimVersions(db: Database, bucket: R2Bucket, userId: string, limit: number, spare?: string): Promise<void> {
  const versions = tables.profileImageVersion
  const order = spare ? [sql`${versions.id} = ${spare}::uuid desc`, desc(versions.createdAt)] : [desc(versions.createdAt)]
  const surplus = await db.select({ id: versions.id, key: versions.key }).from(versions)
    .where(eq(versions.ownerId, userId)).orderBy(...order).offset(limit)
  if (surplus.length === 0) return
  await bucket.delete(surplus.map(row => row.key))
  await db.delete(versions).where(and(eq(versions.ownerId, userId), inArray(versions.id, surplus.map(row => row.id))))
}

/** The user's version with that id, or a 404. */
export async function findVersion(db: Database, userId: string, id: string) {
  const versions = tables.profileImageVersion
  const [version] = await db.select().from(versions).where(and(eq(versions.id, id), eq(versions.ownerId, userId)))
  if (!version) throw createError(VERSION_NOT_FOUND)
  return version
}

/**
 * Deletes one version: object first, then row. If the marker says the current image is kept as these bytes, it goes
 * too, or the next presign would skip the keep and the upload would overwrite the image's only copy.
 */
export async function deleteVersion(db: Database, bucket: R2Bucket, version: { id: string, key: string, sourceEtag: string }): Promise<void> {
  recentlyKept.delete(version.key.slice(0, version.key.lastIndexOf('/v/')))
  await bucket.delete(version.key)
  await db.delete(tables.profileImageVersion).where(eq(tables.profileImageVersion.id, version.id))
  const markerKey = `${versionPrefixOf(version.key)}newest`
  const marker = await bucket.head(markerKey)
  if (marker?.customMetadata?.[SOURCE_ETAG] === version.sourceEtag) await bucket.delete(markerKey)
}

/**
 * Makes a version the current image with a copy inside storage; the image it replaces is kept first (and again if an
 * upload lands on the key meanwhile, so that one is kept too). The copy changes the key's ETag, so an upload URL
 * issued before the restore can no longer write it. The restored version stays in the list, moved to the top, and
 * the marker names its bytes: the current image is kept, and the next upload needs no further copy to leave it in
 * the history.
 */
export async function restoreVersion(event: H3Event, userId: string, key: string, version: { id: string, key: string, contentType: string, originalFilename: string }): Promise<void> {
  const bucket = useEnv(event).GALLERY
  const keep = () => keepCurrentImage(event, userId, key, { mustRecord: true, spare: version.id })
  let kept = await keep()
  // A small window remains between this last check and the copy: CopyObject cannot be made conditional on the
  // destination's ETag (the local endpoint ignores If-Match on copies).
  for (let attempt = 1; ((await currentProfileImage(bucket, key))?.etag ?? null) !== kept; attempt++) {
    if (attempt === 3) throw createError({ statusCode: 409, message: 'Your image changed during the restore. Please try again.' })
    kept = await keep()
  }
  const { etag } = await useSigner(event).copyObject({
    source: version.key,
    destination: key,
    replaceMetadata: {
      contentType: version.contentType,
      metadata: uploadMetadata({ originalFilename: encodeMetadataValue(version.originalFilename), uploadedBy: userId, uploadedAt: new Date().toISOString() }),
    },
  })
  const versions = tables.profileImageVersion
  const moved = await useDB(event).update(versions).set({ createdAt: sql`now()` })
    .where(and(eq(versions.id, version.id), eq(versions.ownerId, userId))).returning({ id: versions.id })
  // Deleted meanwhile (another tab): no copy of the restored bytes is listed, so the next presign must keep them.
  recentlyKept.delete(key)
  if (moved.length === 0) await bucket.delete(newestMarkerKey(key))
  else await bucket.put(newestMarkerKey(key), '', { customMetadata: { [SOURCE_ETAG]: etag } })
}

/** Every object under the version prefix (the marker included). */
export async function versionObjectKeys(bucket: R2Bucket, key: string): Promise<string[]> {
  const keys: string[] = []
  let cursor: string | undefined
  do {
    const page = await bucket.list({ prefix: versionPrefix(key), cursor })
    keys.push(...page.objects.map(object => object.key))
    cursor = page.truncated ? page.cursor : undefined
  } while (cursor)
  return keys
}

/** Deletes all of a user's versions: objects first, then rows. */
export async function deleteAllVersions(db: Database, bucket: R2Bucket, userId: string, key: string): Promise<void> {
  recentlyKept.delete(key)
  const keys = await versionObjectKeys(bucket, key)
  for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000))
  await db.delete(tables.profileImageVersion).where(eq(tables.profileImageVersion.ownerId, userId))
}
