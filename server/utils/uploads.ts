import type { R2Bucket, R2Object } from '@cloudflare/workers-types'
import { and, eq, gt, ne, or, sql } from 'drizzle-orm'
import { FILE_TYPES, uploadPolicy } from '../../shared/utils/policy'
import { storedImageMatches } from './image-sniff'
import { storedPreviewSize } from './previews'
import { normaliseFilename } from './metadata'

const SAFE_EXTENSION = /^[a-z0-9]{1,10}$/

/** Another user's id, a deleted upload and a malformed id all answer this. */
export const UPLOAD_NOT_FOUND = { statusCode: 404, message: 'Upload not found' }

/**
 * The key extension: from the content type when the policy knows it, else from the filename's last segment
 * (lower-case [a-z0-9]{1,10}), else `bin`. Path segments in the filename never reach the key.
 */
export function extensionFor(contentType: string, filename: string): string {
  const mapped = FILE_TYPES[contentType]?.extension
  if (mapped) return mapped
  const name = normaliseFilename(filename, '')
  const dot = name.lastIndexOf('.')
  const candidate = dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
  return SAFE_EXTENSION.test(candidate) ? candidate : uploadPolicy.fallbackExtension
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266), so nothing renders inline. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7E]|["\\%]/g, '_')
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

export type UploadRow = typeof tables.upload.$inferSelect

export function toUploadView(row: UploadRow) {
  return {
    id: row.id,
    filename: row.originalFilename,
    contentType: row.contentType,
    size: row.declaredSize,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
    /** A checked preview is stored beside the object (thumbnails load it instead of the original). */
    hasPreview: row.previewSize !== null,
  }
}

/** The caller's own live upload, or 404: another user's id and a deleted one look missing. */
export async function findOwnUpload(db: Database, id: string, ownerId: string): Promise<UploadRow> {
  const [row] = await db.select().from(tables.upload)
    .where(and(eq(tables.upload.id, id), eq(tables.upload.ownerId, ownerId), ne(tables.upload.status, 'deleted')))
  if (!row) throw createError(UPLOAD_NOT_FOUND)
  return row
}

export interface StorageUsage { usedBytes: number, quotaBytes: number, pendingCount: number, pendingCap: number }

/**
 * Inserts the pending row of a new upload only while the owner stays within the byte quota (committed + live pending)
 * and under the pending cap, in one call to `reserve_upload` (drizzle/migrations/0004_upload_quota.sql), which
 * serialises one owner's reservations. A refusal is a JSON 4xx saying used / limit in human units.
 */
export async function reserveUpload(db: Database, row: Omit<typeof tables.upload.$inferInsert, 'status'>): Promise<StorageUsage> {
  const { rows } = await db.execute<{ reserved: boolean, used_bytes: string, pending_count: number }>(sql`
    select * from reserve_upload(${row.id}, ${row.ownerId}, ${row.key}, ${row.originalFilename}, ${row.contentType},
      ${row.declaredSize}, ${row.expiresAt.toISOString()}, ${uploadsConfig.quotaBytes}, ${uploadsConfig.maxPendingUploads},
      ${orphanCutoff().toISOString()})`)
  const result = rows[0]!
  const usage = { usedBytes: Number(result.used_bytes), quotaBytes: uploadsConfig.quotaBytes, pendingCount: result.pending_count, pendingCap: uploadsConfig.maxPendingUploads }
  if (result.reserved) return usage
  if (usage.pendingCount >= usage.pendingCap) {
    throw createError({ statusCode: 409, message: `You have ${usage.pendingCount} uploads still in progress (the limit is ${usage.pendingCap}). Let them finish or cancel some, then try again.` })
  }
  throw createError({
    statusCode: 413,
    message: `Not enough storage left: ${formatBytes(usage.usedBytes)} of ${formatBytes(usage.quotaBytes)} used, and this file needs ${formatBytes(row.declaredSize)}. Delete some files first.`,
  })
}

/** What the owner's uploads hold now, counted as reserve_upload counts it. */
export async function storageUsage(db: Database, ownerId: string): Promise<StorageUsage> {
  const [row] = await db.select({
    usedBytes: sql<string>`coalesce(sum(${tables.upload.declaredSize}), 0)`,
    pendingCount: sql<number>`(count(*) filter (where ${tables.upload.status} = 'pending'))::integer`,
  }).from(tables.upload).where(and(eq(tables.upload.ownerId, ownerId), or(
    eq(tables.upload.status, 'committed'),
    and(eq(tables.upload.status, 'pending'), gt(tables.upload.expiresAt, orphanCutoff())),
  )))
  return { usedBytes: Number(row?.usedBytes ?? 0), quotaBytes: uploadsConfig.quotaBytes, pendingCount: row?.pendingCount ?? 0, pendingCap: uploadsConfig.maxPendingUploads }
}

/** Why the stored object is not the upload that was signed (size, type, uploader), or null when it is. */
export function storedObjectMismatch(object: R2Object, upload: UploadRow): string | null {
  if (object.size !== upload.declaredSize) return `stored size ${object.size} differs from the declared ${upload.declaredSize} bytes`
  if (object.httpMetadata?.contentType !== upload.contentType) {
    return `stored content type ${object.httpMetadata?.contentType ?? 'none'} differs from the declared ${upload.contentType}`
  }
  if (object.customMetadata?.[UPLOAD_METADATA_KEYS.uploadedBy] !== upload.ownerId) return 'the stored object was not uploaded by you'
  return null
}

/** Commits a pending upload once its object is verified; only a still-pending, not-yet-abandoned row (cleanup may be deleting expired ones right now). */
export async function commitVerifiedUpload(db: Database, bucket: R2Bucket, upload: UploadRow, object: R2Object | null) {
  if (!object) throw createError({ statusCode: 404, message: 'The file has not reached storage yet' })
  const mismatch = storedObjectMismatch(object, upload)
  if (mismatch) throw createError({ statusCode: 409, message: `Upload cannot be completed: ${mismatch}` })
  // Bytes that are not the signed image type would list as a broken thumbnail: discarded, the row stays pending.
  if (upload.contentType.startsWith('image/') && !(await storedImageMatches(bucket, upload.key, upload.contentType, object.size))) {
    await bucket.delete(upload.key)
    const name = FILE_TYPES[upload.contentType]?.shortName ?? upload.contentType
    throw createError({ statusCode: 409, message: `Upload cannot be completed: the file's content is not a valid ${name} image, so it was discarded` })
  }
  const previewSize = await storedPreviewSize(bucket, upload)
  const commit = (client: Pick<Database, 'update'>) => client.update(tables.upload)
    .set({ status: 'committed', committedAt: new Date(), multipartId: null, previewSize })
    .where(and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, upload.ownerId), eq(tables.upload.status, 'pending'), gt(tables.upload.expiresAt, orphanCutoff())))
    .returning()
  // In parts, one transaction: a commit whose answer is lost has dropped its part rows too, and a parallel commit
  // waits on the row lock, then sees the committed row below. A single PUT has no part rows.
  const [committed] = upload.multipartId
    ? await db.transaction(async (tx) => {
        const rows = await commit(tx)
        if (rows.length > 0) await tx.delete(tables.multipartUploadPart).where(eq(tables.multipartUploadPart.uploadId, upload.id))
        return rows
      })
    : await commit(db)
  if (committed) return toUploadView(committed)
  // Another completion of the same upload got there first: answer what it committed.
  const settled = await committedUpload(db, upload)
  if (settled) return settled
  throw createError({ statusCode: 409, message: 'The upload changed while completing; refresh and try again' })
}

/** The upload as committed, or null while it is not (yet) committed. */
export async function committedUpload(db: Database, upload: Pick<UploadRow, 'id' | 'ownerId'>) {
  const [row] = await db.select().from(tables.upload)
    .where(and(eq(tables.upload.id, upload.id), eq(tables.upload.ownerId, upload.ownerId), eq(tables.upload.status, 'committed')))
  return row ? toUploadView(row) : null
}
