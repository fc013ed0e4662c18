import type { H3Event } from 'h3'
import { and, asc, desc, eq, gt, isNotNull, sql } from 'drizzle-orm'

// Multipart uploads of large files. Storage (through the binding) creates, completes and aborts them; the browser
// sends the parts to pre-signed UploadPart URLs and reports their ETags, a few parts per request, which the
// multipart_upload_part table keeps (the local S3 endpoint has no ListParts and the binding lists nothing).

export type MultipartUploadRow = UploadRow & { multipartId: string, partSize: number }

/**
 * Reserves the upload against the quota (as single uploads), then creates the multipart upload in storage with the
 * object's type and owner metadata fixed here, server-side, and checked again at completion.
 */
export async function startMultipart(event: H3Event, db: Database, row: Parameters<typeof reserveUpload>[1]): Promise<MultipartUploadRow> {
  await reserveUpload(db, row)
  const metadata = uploadMetadata({ originalFilename: encodeMetadataValue(row.originalFilename), uploadedBy: row.ownerId, uploadedAt: new Date().toISOString() })
  const created = await useEnv(event).GALLERY.createMultipartUpload(row.key, { httpMetadata: { contentType: row.contentType }, customMetadata: metadata })
    .catch(async (error: unknown) => {
      await db.delete(tables.upload).where(eq(tables.upload.id, row.id))
      throw error
    })
  const [upload] = await db.update(tables.upload).set({ multipartId: created.uploadId, partSize: multipartPartSize(row.declaredSize) })
    .where(eq(tables.upload.id, row.id)).returning()
  return upload as MultipartUploadRow
}

/** The caller's own multipart upload that can still take parts: 404 for anything else, 410 once expired. */
export async function findOwnPendingMultipart(db: Database, id: string, ownerId: string): Promise<MultipartUploadRow> {
  return asPendingMultipart(await findOwnUpload(db, id, ownerId))
}

/** The same check on a row already read. */
export function asPendingMultipart(upload: UploadRow): MultipartUploadRow {
  if (upload.status !== 'pending' || !upload.multipartId || !upload.partSize) throw createError(UPLOAD_NOT_FOUND)
  if (upload.expiresAt < new Date()) throw createError({ statusCode: 410, message: 'This upload expired; please upload the file again' })
  return upload as MultipartUploadRow
}

export function partCountOf(upload: MultipartUploadRow): number {
  return multipartPartCount(upload.declaredSize, upload.partSize)
}

/** A part number the upload does not have is bad input, not a missing resource. */
export function checkPartNumbers(upload: MultipartUploadRow, partNumbers: number[]): void {
  const partCount = partCountOf(upload)
  const outside = partNumbers.find(partNumber => partNumber > partCount)
  if (outside !== undefined) {
    throw createError({ statusCode: 400, message: `partNumbers: part ${outside} is out of range; this upload has parts 1 to ${partCount}` })
  }
}

/** Records finished parts; a part sent again (a retry after a lost answer) replaces its ETag, as storage keeps the last one. */
export async function recordParts(db: Database, uploadId: string, parts: { partNumber: number, etag: string }[]): Promise<void> {
  await db.insert(tables.multipartUploadPart).values(parts.map(({ partNumber, etag }) => ({ uploadId, partNumber, etag })))
    .onConflictDoUpdate({
      target: [tables.multipartUploadPart.uploadId, tables.multipartUploadPart.partNumber],
      set: { etag: sql`excluded.etag`, recordedAt: new Date() },
    })
}

export async function recordedParts(db: Database, uploadId: string): Promise<{ partNumber: number, etag: string }[]> {
  return db.select({ partNumber: tables.multipartUploadPart.partNumber, etag: tables.multipartUploadPart.etag })
    .from(tables.multipartUploadPart)
    .where(eq(tables.multipartUploadPart.uploadId, uploadId))
    .orderBy(asc(tables.multipartUploadPart.partNumber))
}

export function multipartView(upload: MultipartUploadRow) {
  return {
    id: upload.id,
    key: upload.key,
    filename: upload.originalFilename,
    contentType: upload.contentType,
    fileSize: upload.declaredSize,
    partSize: upload.partSize,
    partCount: partCountOf(upload),
    expiresIn: Math.max(0, Math.floor((upload.expiresAt.getTime() - Date.now()) / 1000)),
  }
}

/**
 * The owner's unfinished uploads in parts that can still be resumed or discarded, newest first, each with the share of
 * its bytes the server has recorded, so a page can name them after a reload instead of only counting their space.
 */
export async function pendingMultipartUploads(db: Database, ownerId: string, limit: number) {
  const part = tables.multipartUploadPart
  const rows = await db.select({
    upload: tables.upload,
    recordedParts: sql<number>`count(${part.partNumber})::integer`,
    highestPart: sql<number | null>`max(${part.partNumber})`,
  }).from(tables.upload)
    .leftJoin(part, eq(part.uploadId, tables.upload.id))
    .where(and(eq(tables.upload.ownerId, ownerId), eq(tables.upload.status, 'pending'), isNotNull(tables.upload.multipartId), gt(tables.upload.expiresAt, new Date())))
    .groupBy(tables.upload.id)
    .orderBy(desc(tables.upload.createdAt), desc(tables.upload.id))
    .limit(limit)
  return rows.map(({ upload, recordedParts, highestPart }) => pendingMultipartView(upload as MultipartUploadRow, recordedParts, highestPart))
}

function pendingMultipartView(upload: MultipartUploadRow, recordedParts: number, highestPart: number | null) {
  const { id, filename, contentType, fileSize, partSize, partCount, expiresIn } = multipartView(upload)
  // Part numbers are checked against the part count when recorded, so the highest one is the last part only if it is there.
  const recordedBytes = multipartStoredBytes(fileSize, partSize, recordedParts, highestPart === partCount)
  return {
    id, filename, contentType, fileSize, partSize, partCount, recordedParts, recordedBytes,
    percent: Math.floor((recordedBytes / fileSize) * 100),
    createdAt: upload.createdAt.toISOString(),
    expiresIn,
  }
}

/** Pre-signed UploadPart URLs, each with its part's exact size signed in, valid no longer than the upload itself. */
export async function signParts(event: H3Event, upload: MultipartUploadRow, partNumbers: number[]) {
  const signer = useSigner(event)
  const expiresIn = Math.min(storageConfig.uploadUrlTtlSeconds, multipartView(upload).expiresIn)
  if (expiresIn < 1) throw createError({ statusCode: 410, message: 'This upload expired; please upload the file again' })
  const unique = [...new Set(partNumbers)].sort((a, b) => a - b)
  return Promise.all(unique.map(async partNumber => ({
    partNumber,
    size: multipartPartLength(upload.declaredSize, upload.partSize, partNumber),
    url: await signer.presignUploadPart({
      key: upload.key,
      multipartId: upload.multipartId,
      partNumber,
      contentLength: multipartPartLength(upload.declaredSize, upload.partSize, partNumber),
      expiresIn,
    }),
  })))
}

/**
 * Completes the upload in storage with the recorded parts, then commits it after the same checks as a single upload.
 * A repeated call after storage already completed it (the first answer was lost) finds the object and commits; one
 * racing a completion that committed answers the committed upload.
 */
export async function completeMultipart(event: H3Event, db: Database, upload: MultipartUploadRow) {
  const parts = await recordedParts(db, upload.id)
  const partCount = partCountOf(upload)
  if (parts.length !== partCount) {
    // A parallel completion that committed meanwhile took the part rows with it.
    const committed = await committedUpload(db, upload)
    if (committed) return committed
    const recorded = new Set(parts.map(part => part.partNumber))
    const missing = Array.from({ length: partCount }, (_, index) => index + 1).filter(partNumber => !recorded.has(partNumber))
    throw createError({
      statusCode: 409,
      message: `Parts still missing: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`,
      data: { missingParts: missing },
    })
  }
  const bucket = useEnv(event).GALLERY
  try {
    await bucket.resumeMultipartUpload(upload.key, upload.multipartId).complete(parts)
  }
  catch (error) {
    const stored = await bucket.head(upload.key)
    if (!stored) {
      const committed = await committedUpload(db, upload)
      if (committed) return committed
      console.warn(JSON.stringify({ event: 'multipart.complete_refused', uploadId: upload.id, error: error instanceof Error ? error.message.slice(0, 200) : 'Error' }))
      throw createError({ statusCode: 409, message: 'Storage refused to assemble the parts (a part is missing or its ETag does not match). Upload the file again.' })
    }
  }
  return commitVerifiedUpload(db, bucket, upload, await bucket.head(upload.key))
}

/** Part rows serve only an upload still being assembled. */
export async function forgetParts(db: Database, uploadId: string): Promise<void> {
  await db.delete(tables.multipartUploadPart).where(eq(tables.multipartUploadPart.uploadId, uploadId))
}

/** Aborts a multipart upload in storage; one that is already gone (completed or aborted) counts as aborted. */
export async function abortMultipart(bucket: GalleryEnv['GALLERY'], key: string, multipartId: string): Promise<void> {
  try {
    await bucket.resumeMultipartUpload(key, multipartId).abort()
  }
  catch (error) {
    if (!/NoSuchUpload|does not exist|not found/i.test(error instanceof Error ? error.message : '')) throw error
  }
}

/**
 * Removes what storage may hold for an upload. In parts: the unfinished multipart upload (the abort ends every part
 * URL), then the object a /complete may have assembled just before. A single PUT: its write-once URL could write an
 * empty key again, so while that URL is valid a tombstone holds the key (the cleanup deletes it after expiry). The
 * preview beside it goes the same way.
 */
export async function discardStoredUpload(bucket: GalleryEnv['GALLERY'], upload: Parameters<typeof discardStoredPreview>[1] & { multipartId: string | null }): Promise<void> {
  await discardStoredPreview(bucket, upload)
  if (upload.multipartId) {
    await abortMultipart(bucket, upload.key, upload.multipartId)
    await bucket.delete(upload.key)
  }
  else if (upload.expiresAt > orphanCutoff()) await putTombstone(bucket, upload.key, 'deleted')
  else await bucket.delete(upload.key)
}
