import { and, eq, ne } from 'drizzle-orm'
import { FILE_TYPES, uploadPolicy } from '../../shared/utils/policy'
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
  }
}

/** The caller's own live upload, or 404: another user's id and a deleted one look missing. */
export async function findOwnUpload(db: Database, id: string, ownerId: string): Promise<UploadRow> {
  const [row] = await db.select().from(tables.upload)
    .where(and(eq(tables.upload.id, id), eq(tables.upload.ownerId, ownerId), ne(tables.upload.status, 'deleted')))
  if (!row) throw createError(UPLOAD_NOT_FOUND)
  return row
}
