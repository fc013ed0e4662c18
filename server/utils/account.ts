import type { R2Bucket } from '@cloudflare/workers-types'
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm'

interface OrphanRow { key: string, tombstone: boolean, multipartId: string | null }

/**
 * The storage keys an account owns: its uploads (any status) with their previews, its profile image, what lives next to it and every
 * earlier image (listed in storage, so a copy whose row was never written goes too). A key that an upload URL may
 * still write gets a tombstone rather than a delete; an unfinished multipart upload is aborted.
 */
async function accountObjects(db: Database, bucket: R2Bucket, userId: string): Promise<OrphanRow[]> {
  const [owner] = await db.select({ image: tables.user.image }).from(tables.user).where(eq(tables.user.id, userId))
  const uploads = await db.select({
    key: tables.upload.key, status: tables.upload.status, multipartId: tables.upload.multipartId, expiresAt: tables.upload.expiresAt,
    contentType: tables.upload.contentType, declaredSize: tables.upload.declaredSize,
  }).from(tables.upload).where(eq(tables.upload.ownerId, userId))
  const rows: OrphanRow[] = uploads.flatMap(upload => [{
    key: upload.key,
    tombstone: !upload.multipartId && upload.expiresAt > orphanCutoff(),
    multipartId: upload.status === 'pending' ? upload.multipartId : null,
  }, ...previewRows(upload)])
  if (owner?.image) {
    rows.push({ key: owner.image, tombstone: true, multipartId: null })
    for (const key of [...profileImageCompanionKeys(owner.image), ...await versionObjectKeys(bucket, owner.image)]) {
      rows.push({ key, tombstone: false, multipartId: null })
    }
  }
  return rows
}

/** An image upload's preview key: always a single write-once PUT, so tombstoned while its URL may be valid. */
function previewRows(upload: { key: string, contentType: string, declaredSize: number, expiresAt: Date }): OrphanRow[] {
  if (!wantsPreview(upload.contentType, upload.declaredSize)) return []
  return [{ key: previewKeyOf(upload.key), tombstone: upload.expiresAt > orphanCutoff(), multipartId: null }]
}

const logFailure = (event: string, keys: number, error: unknown) =>
  console.error(JSON.stringify({ event, keys, error: error instanceof Error ? error.name : 'Error' }))

/**
 * Aborts the unfinished multipart uploads among the rows; each that succeeds is marked done, each that fails keeps its
 * id for the next cleanup. Resolves to the keys whose abort is done.
 */
async function abortOrphanedMultiparts(db: Database, bucket: R2Bucket, rows: OrphanRow[]): Promise<Set<string>> {
  const aborted = new Set<string>()
  for (const row of rows) {
    if (!row.multipartId) continue
    try {
      await abortMultipart(bucket, row.key, row.multipartId)
      await db.update(tables.orphanedObject).set({ multipartId: null }).where(eq(tables.orphanedObject.key, row.key))
      aborted.add(row.key)
    }
    catch (error) {
      logFailure('account.multipart_abort_failed', 1, error)
    }
  }
  return aborted
}

/**
 * Writes tombstones on the keys that need one and deletes the others. `tolerant`: a storage failure is logged, not
 * thrown (the account deletion goes on; the cleanup, which throws, keeps the rows for its next run).
 */
async function clearOrphanedKeys(bucket: R2Bucket, rows: { key: string, tombstone: boolean }[], tolerant = false): Promise<void> {
  const attempt = (what: string, keys: number, work: Promise<unknown>) =>
    tolerant ? work.catch((error: unknown) => logFailure(what, keys, error)) : work
  for (const row of rows.filter(candidate => candidate.tombstone)) {
    await attempt('account.tombstone_failed', 1, putTombstone(bucket, row.key, 'account-deleted'))
  }
  const keys = rows.filter(row => !row.tombstone).map(row => row.key)
  for (let start = 0; start < keys.length; start += ORPHAN_BATCH) {
    await attempt('account.storage_delete_failed', Math.min(ORPHAN_BATCH, keys.length - start), bucket.delete(keys.slice(start, start + ORPHAN_BATCH)))
  }
}

/**
 * Runs before Better Auth deletes an account: every key the account owns is first recorded as an orphaned object (so
 * the cleanup keeps it clear while an upload URL issued before now could still write it), then its unfinished
 * multipart uploads are aborted, the keys URLs were signed for get tombstones (the profile image's says the account
 * is gone, which every profile route of a session still cached elsewhere answers with a 401) and the rest are
 * deleted. A storage failure does not stop the account deletion: the cleanup retries it.
 */
export async function releaseAccountStorage(db: Database, bucket: R2Bucket, userId: string): Promise<void> {
  const rows = await accountObjects(db, bucket, userId)
  if (rows.length === 0) return
  const deleteAgainUntil = new Date(Date.now() + (storageConfig.uploadUrlTtlSeconds + uploadsConfig.orphanMarginSeconds) * 1000)
  for (let start = 0; start < rows.length; start += ORPHAN_BATCH) {
    await db.insert(tables.orphanedObject).values(rows.slice(start, start + ORPHAN_BATCH).map(row => ({ ...row, deleteAgainUntil })))
      .onConflictDoUpdate({ target: tables.orphanedObject.key, set: { deleteAgainUntil, tombstone: sql`excluded.tombstone`, multipartId: sql`excluded.multipart_id` } })
  }
  await abortOrphanedMultiparts(db, bucket, rows)
  await clearOrphanedKeys(bucket, rows, true)
}

const ORPHAN_BATCH = 1000 // R2's delete takes at most 1000 keys

export interface OrphanCleanupResult { deletedKeys: number, tombstones: number, releasedRows: number }

/**
 * Clears every recorded orphaned object again: aborts what is still unfinished, rewrites tombstones while a URL could
 * write the key, deletes the rest. Rows whose keys no URL can write any more (and whose abort is done) are dropped
 * with their objects.
 */
export async function cleanupOrphanedObjects(db: Database, bucket: R2Bucket, now = new Date()): Promise<OrphanCleanupResult> {
  const result: OrphanCleanupResult = { deletedKeys: 0, tombstones: 0, releasedRows: 0 }
  let after = ''
  for (;;) {
    const batch = await db.select().from(tables.orphanedObject)
      .where(gt(tables.orphanedObject.key, after)).orderBy(tables.orphanedObject.key).limit(ORPHAN_BATCH)
    if (batch.length === 0) return result
    const aborted = await abortOrphanedMultiparts(db, bucket, batch)
    const unfinished = (row: typeof batch[number]) => row.multipartId !== null && !aborted.has(row.key)
    // Past its window a key holds nothing worth keeping, tombstone included.
    const rows = batch.map(row => ({ key: row.key, tombstone: row.tombstone && row.deleteAgainUntil >= now }))
    await clearOrphanedKeys(bucket, rows)
    result.tombstones += rows.filter(row => row.tombstone).length
    result.deletedKeys += rows.filter(row => !row.tombstone).length
    const done = batch.filter(row => row.deleteAgainUntil < now && !unfinished(row)).map(row => row.key)
    if (done.length > 0) {
      const released = await db.delete(tables.orphanedObject)
        .where(and(inArray(tables.orphanedObject.key, done), lt(tables.orphanedObject.deleteAgainUntil, now), isNull(tables.orphanedObject.multipartId)))
        .returning({ key: tables.orphanedObject.key })
      result.releasedRows += released.length
    }
    after = batch.at(-1)!.key
  }
}
