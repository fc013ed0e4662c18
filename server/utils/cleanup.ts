import type { R2Bucket } from '@cloudflare/workers-types'
import { and, eq, inArray, lt } from 'drizzle-orm'

export interface CleanupResult { rows: number, batches: number }

/**
 * Deletes generic uploads that stayed `pending` past their URL's expiry plus a margin, with their objects,
 * in bounded batches. Rows go first (only those still pending), then exactly the keys of the rows removed,
 * so an upload completed meanwhile is never touched.
 */
export async function cleanupOrphanedUploads(db: Database, bucket: R2Bucket, now = new Date()): Promise<CleanupResult> {
  const cutoff = new Date(now.getTime() - uploadsConfig.orphanMarginSeconds * 1000)
  const result: CleanupResult = { rows: 0, batches: 0 }
  while (result.batches < uploadsConfig.cleanupMaxBatches) {
    const batch = db.select({ id: tables.upload.id }).from(tables.upload)
      .where(and(eq(tables.upload.status, 'pending'), lt(tables.upload.expiresAt, cutoff)))
      .orderBy(tables.upload.expiresAt)
      .limit(uploadsConfig.cleanupBatchSize)
    const removed = await db.delete(tables.upload)
      .where(and(inArray(tables.upload.id, batch), eq(tables.upload.status, 'pending')))
      .returning({ key: tables.upload.key })
    if (removed.length === 0) break
    await bucket.delete(removed.map(row => row.key))
    result.rows += removed.length
    result.batches++
  }
  return result
}
