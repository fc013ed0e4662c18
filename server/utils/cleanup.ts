import type { R2Bucket } from '@cloudflare/workers-types'
import { and, inArray, lt } from 'drizzle-orm'

export interface CleanupResult { rows: number, batches: number }

const UNCOMMITTED = ['pending', 'deleted'] as const

/**
 * Deletes generic uploads whose URL expired more than a margin ago without being committed (`pending`), and the
 * tombstones of deleted ones (`deleted`), with their objects, in bounded batches. Objects go first: should that
 * fail, the rows are still there for the next run. Past the cutoff no URL can write and /complete refuses,
 * so nothing can be committed in between.
 */
export async function cleanupOrphanedUploads(db: Database, bucket: R2Bucket, now = new Date()): Promise<CleanupResult> {
  const cutoff = orphanCutoff(now)
  const result: CleanupResult = { rows: 0, batches: 0 }
  while (result.batches < uploadsConfig.cleanupMaxBatches) {
    const batch = await db.select({ id: tables.upload.id, key: tables.upload.key }).from(tables.upload)
      .where(and(inArray(tables.upload.status, UNCOMMITTED), lt(tables.upload.expiresAt, cutoff)))
      .orderBy(tables.upload.expiresAt)
      .limit(uploadsConfig.cleanupBatchSize)
    if (batch.length === 0) break
    await bucket.delete(batch.map(row => row.key))
    const removed = await db.delete(tables.upload)
      .where(and(inArray(tables.upload.id, batch.map(row => row.id)), inArray(tables.upload.status, UNCOMMITTED)))
      .returning({ id: tables.upload.id })
    result.rows += removed.length
    result.batches++
  }
  return result
}

/** Uploads whose URL expired before this instant are past saving. */
export function orphanCutoff(now = new Date()): Date {
  return new Date(now.getTime() - uploadsConfig.orphanMarginSeconds * 1000)
}
