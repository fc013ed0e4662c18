import type { R2Bucket } from '@cloudflare/workers-types'
import { and, eq, gt, inArray, lt } from 'drizzle-orm'

/**
 * The storage keys an account owns: its uploads (any status), its profile image, what lives next to it and every
 * earlier image (listed in storage, so a copy whose row was never written goes too).
 */
async function accountKeys(db: Database, bucket: R2Bucket, userId: string): Promise<string[]> {
  const [owner] = await db.select({ image: tables.user.image }).from(tables.user).where(eq(tables.user.id, userId))
  const uploads = await db.select({ key: tables.upload.key }).from(tables.upload).where(eq(tables.upload.ownerId, userId))
  const profileKeys = owner?.image
    ? [owner.image, ...profileImageCompanionKeys(owner.image), ...await versionObjectKeys(bucket, owner.image)]
    : []
  return [...uploads.map(row => row.key), ...profileKeys]
}

/**
 * Runs before Better Auth deletes an account: every key the account owns is first recorded as an orphaned object
 * (so the cleanup keeps deleting it while an upload URL issued before now could still write it), then deleted
 * through the binding. A failed storage delete does not stop the account deletion: the cleanup retries it.
 */
export async function releaseAccountStorage(db: Database, bucket: R2Bucket, userId: string): Promise<void> {
  const keys = await accountKeys(db, bucket, userId)
  if (keys.length === 0) return
  const deleteAgainUntil = new Date(Date.now() + (storageConfig.uploadUrlTtlSeconds + uploadsConfig.orphanMarginSeconds) * 1000)
  await db.insert(tables.orphanedObject).values(keys.map(key => ({ key, deleteAgainUntil })))
    .onConflictDoUpdate({ target: tables.orphanedObject.key, set: { deleteAgainUntil } })
  for (let start = 0; start < keys.length; start += ORPHAN_BATCH) {
    await bucket.delete(keys.slice(start, start + ORPHAN_BATCH)).catch((error: unknown) => {
      console.error(JSON.stringify({ event: 'account.storage_delete_failed', keys: Math.min(ORPHAN_BATCH, keys.length - start), error: error instanceof Error ? error.name : 'Error' }))
    })
  }
}

const ORPHAN_BATCH = 1000 // R2's delete takes at most 1000 keys

export interface OrphanCleanupResult { deletedKeys: number, releasedRows: number }

/** Deletes every recorded orphaned object again; rows whose keys no URL can write any more are dropped. */
export async function cleanupOrphanedObjects(db: Database, bucket: R2Bucket, now = new Date()): Promise<OrphanCleanupResult> {
  const result: OrphanCleanupResult = { deletedKeys: 0, releasedRows: 0 }
  let after = ''
  for (;;) {
    const batch = await db.select({ key: tables.orphanedObject.key }).from(tables.orphanedObject)
      .where(gt(tables.orphanedObject.key, after)).orderBy(tables.orphanedObject.key).limit(ORPHAN_BATCH)
    if (batch.length === 0) return result
    const keys = batch.map(row => row.key)
    await bucket.delete(keys)
    result.deletedKeys += keys.length
    const released = await db.delete(tables.orphanedObject)
      .where(and(inArray(tables.orphanedObject.key, keys), lt(tables.orphanedObject.deleteAgainUntil, now)))
      .returning({ key: tables.orphanedObject.key })
    result.releasedRows += released.length
    after = keys.at(-1)!
  }
}
