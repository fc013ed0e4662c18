import type { R2Bucket } from '@cloudflare/workers-types'
import { and, inArray, lt, notInArray } from 'drizzle-orm'

/** `backlog`: eligible rows the run left for the next one (0 when it drained them all). */
export interface CleanupResult { rows: number, batches: number, backlog: number }

const UNCOMMITTED = ['pending', 'deleted'] as const

/**
 * Deletes generic uploads whose URL expired more than a margin ago without being committed (`pending`), and the
 * tombstones of deleted ones (`deleted`, including those whose object delete failed), with their objects, previews and unfinished
 * multipart uploads, a batch at a time until none are left or the time budget is spent. Objects go first: should that fail, the rows are still
 * there for the next run. Past the cutoff no URL can write and /complete refuses, so nothing can be committed in
 * between.
 */
export async function cleanupOrphanedUploads(db: Database, bucket: R2Bucket, now = new Date()): Promise<CleanupResult> {
  const eligible = and(inArray(tables.upload.status, UNCOMMITTED), lt(tables.upload.expiresAt, orphanCutoff(now)))
  const deadline = Date.now() + uploadsConfig.cleanupTimeBudgetMs
  const result: CleanupResult = { rows: 0, batches: 0, backlog: 0 }
  // Rows whose multipart abort failed in this run: kept (with the row, the next run aborts again), not retried now.
  const abortFailed: string[] = []
  while (Date.now() < deadline) {
    const batch = await db.select({ id: tables.upload.id, key: tables.upload.key, multipartId: tables.upload.multipartId }).from(tables.upload)
      .where(abortFailed.length ? and(eligible, notInArray(tables.upload.id, abortFailed)) : eligible)
      .orderBy(tables.upload.expiresAt)
      .limit(uploadsConfig.cleanupBatchSize)
    if (batch.length === 0) {
      if (abortFailed.length === 0) return result
      break
    }
    // Unfinished multipart uploads hold their parts in storage until aborted; a failed abort is logged and its row kept.
    for (const row of batch) {
      if (row.multipartId) {
        await abortMultipart(bucket, row.key, row.multipartId).catch((error: unknown) => {
          abortFailed.push(row.id)
          console.warn(JSON.stringify({ event: 'uploads.cleanup.abort_failed', uploadId: row.id, error: error instanceof Error ? error.name : 'Error' }))
        })
      }
    }
    // Each with its preview key: deleting one that was never written costs nothing, and no lookup is needed.
    await bucket.delete(batch.flatMap(row => [row.key, previewKeyOf(row.key)]))
    const done = batch.filter(row => !abortFailed.includes(row.id)).map(row => row.id)
    const removed = done.length === 0
      ? []
      : await db.delete(tables.upload)
          .where(and(inArray(tables.upload.id, done), inArray(tables.upload.status, UNCOMMITTED)))
          .returning({ id: tables.upload.id })
    result.rows += removed.length
    result.batches++
  }
  result.backlog = await db.$count(tables.upload, eligible)
  return result
}

/** Uploads whose URL expired before this instant are past saving. */
export function orphanCutoff(now = new Date()): Date {
  return new Date(now.getTime() - uploadsConfig.orphanMarginSeconds * 1000)
}
