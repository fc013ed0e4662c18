import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
import type { H3Event } from 'h3'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'

// Profile image history (issue 14). The stable key stays the current image; earlier ones are copies made inside
// storage under `<key>/v/<id>`, one profile_image_version row each. `<key>/v/newest` is an empty marker holding the
// ETag of the newest kept copy, so a presign that finds the current image already kept costs two HEADs and no SQL.

export const VERSION_NOT_FOUND = { statusCode: 404, message: 'No such earlier image' }
const SOURCE_ETAG = 'source-etag'

export const versionPrefix = (key: string) => `${key}/v/`
/** `<key>/v/` from one of its version keys. */
export const versionPrefixOf = (versionKey: string) => versionKey.slice(0, versionKey.lastIndexOf('/') + 1)
const newestMarkerKey = (key: string) => `${versionPrefix(key)}newest`

/** How many earlier images this deployment keeps (0 = none: an upload simply overwrites). */
export function keptVersions(event: H3Event): number {
  const configured = Number.parseInt(useEnv(event).PROFILE_IMAGE_KEEP_VERSIONS ?? '', 10)
  return Number.isInteger(configured) && configured >= 0 ? configured : profileImageConfig.keepVersions
}

/**
 * Keeps what the stable key holds now as a version, unless it already is the newest one (same ETag). Called before
 * anything may overwrite the key (an upload URL is answered, a version is restored). A failure leaves the current
 * image untouched: the copy only reads it.
 */
export async function keepCurrentImage(event: H3Event, userId: string, key: string): Promise<void> {
  const limit = keptVersions(event)
  if (limit === 0) return
  const bucket = useEnv(event).GALLERY
  const [current, newest] = await Promise.all([bucket.head(key), bucket.head(newestMarkerKey(key))])
  if (!current || newest?.customMetadata?.[SOURCE_ETAG] === current.etag) return

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
    if (!causedByUnavailableDatabase(error)) {
      await bucket.delete(versionKey)
      throw error
    }
    // The database is down but the session cookie cache vouches for the user: the upload is still signed (as without
    // history). The copy stays in storage under the version prefix (safe, gone with the account, but not listed); the
    // marker is left alone so the next keep copies and records the image again.
    console.error(JSON.stringify({ event: 'profile_image.version_unrecorded', error: 'DatabaseUnavailable' }))
    return
  }
  // Parallel presigns may all copy the same image: only the first becomes a row, the others' copies are dropped.
  if (!added) await bucket.delete(versionKey)
  await bucket.put(newestMarkerKey(key), '', { customMetadata: { [SOURCE_ETAG]: kept.etag } })
  if (added) await trimVersions(useDB(event), bucket, userId, limit)
}

/** One row for a kept copy, unless the user's newest row already holds the same bytes (parallel presigns). */
async function recordVersion(db: Database, { id, ownerId, key, kept }: { id: string, ownerId: string, key: string, kept: R2Object }): Promise<boolean> {
  const versions = tables.profileImageVersion
  const filename = decodeMetadataValue(kept.customMetadata?.[UPLOAD_METADATA_KEYS.originalFilename]) ?? profileImagePolicy.defaultFilename
  const contentType = kept.httpMetadata?.contentType ?? 'application/octet-stream'
  const inserted = await db.execute(sql`
    insert into ${versions} (id, owner_id, key, size, content_type, original_filename, source_etag)
    select ${id}::uuid, ${ownerId}, ${key}, ${kept.size}::bigint, ${contentType}, ${filename}, ${kept.etag}
    where coalesce((select ${versions.sourceEtag} from ${versions} where ${versions.ownerId} = ${ownerId}
      order by ${versions.createdAt} desc limit 1), '') <> ${kept.etag}`)
  return (inserted.rowCount ?? 0) > 0
}

/** Deletes the versions beyond the newest `limit`: objects first, then rows. */
async function trimVersions(db: Database, bucket: R2Bucket, userId: string, limit: number): Promise<void> {
  const versions = tables.profileImageVersion
  const surplus = await db.select({ id: versions.id, key: versions.key }).from(versions)
    .where(eq(versions.ownerId, userId)).orderBy(desc(versions.createdAt)).offset(limit)
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

/** Deletes one version: object first, then row. */
export async function deleteVersion(db: Database, bucket: R2Bucket, version: { id: string, key: string }): Promise<void> {
  await bucket.delete(version.key)
  await db.delete(tables.profileImageVersion).where(eq(tables.profileImageVersion.id, version.id))
}

/**
 * Makes a version the current image with a copy inside storage; the image it replaces is kept first. The copy gets a
 * fresh `uploaded-at`, so a deletion marker older than the restore does not take it for a stray (profile-image.ts).
 * The restored version is then removed from the list: it is the current image now (kept again before it is replaced).
 */
export async function restoreVersion(event: H3Event, userId: string, key: string, version: { id: string, key: string, contentType: string, originalFilename: string }): Promise<void> {
  await keepCurrentImage(event, userId, key)
  await useSigner(event).copyObject({
    source: version.key,
    destination: key,
    replaceMetadata: {
      contentType: version.contentType,
      metadata: uploadMetadata({ originalFilename: encodeMetadataValue(version.originalFilename), uploadedBy: userId, uploadedAt: new Date().toISOString() }),
    },
  })
  const bucket = useEnv(event).GALLERY
  // The restored image is no version any more, so the marker must not claim it is kept: the next upload keeps it.
  await bucket.delete(newestMarkerKey(key))
  await deleteVersion(useDB(event), bucket, version)
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
  const keys = await versionObjectKeys(bucket, key)
  for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000))
  await db.delete(tables.profileImageVersion).where(eq(tables.profileImageVersion.ownerId, userId))
}
