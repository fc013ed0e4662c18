// What the browser checks and concludes about a file it uploads, before and after sending it.
import { FILE_TYPES, fileTypeList, fileTypeName, multipartPolicy, uploadPolicy } from '#shared/utils/policy'
import { formatBytes } from '#shared/utils/format'
import { UploadError } from './directUpload'
import { isLargeFile } from './multipartUpload'

/** Answers of our API that repeat themselves however often the same file is sent again. */
const FINAL_API_STATUSES = new Set([400, 409, 413, 415, 422])

export function uploadContentType(file: Pick<File, 'type'>) {
  return file.type || uploadPolicy.unknownContentType
}

/** Why the file cannot be uploaded at all (so no request is sent), or null. */
export function uploadProblem(file: Pick<File, 'name' | 'size' | 'type'>): string | null {
  if (file.size === 0) return 'The file is empty.'
  const maxBytes = isLargeFile(file) ? multipartPolicy.maxBytes : uploadPolicy.maxBytes
  if (file.size > maxBytes) return `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`
  if (!(uploadPolicy.contentTypes as readonly string[]).includes(uploadContentType(file))) return refusedTypeMessage(file)
  return null
}

/** The size limits as the page applies them: one PUT below the multipart threshold, in parts above it. */
export function uploadSizeLimits(): string {
  return `files under ${formatBytes(multipartPolicy.thresholdBytes)} in one go, larger ones in parts (resumable) up to ${formatBytes(multipartPolicy.maxBytes)}`
}

/** Never the MIME type itself: people know "Windows program", not "application/x-msdownload". */
function refusedTypeMessage(file: Pick<File, 'name' | 'type'>) {
  const name = fileTypeName(file.type)
  const extension = /\.([a-z0-9]{1,10})$/i.exec(file.name)?.[1]
  const what = name ? `${name.charAt(0).toUpperCase()}${name.slice(1)} files` : extension ? `.${extension.toLowerCase()} files` : 'Files of this type'
  return `${what} cannot be uploaded here. Allowed: ${fileTypeList(Object.keys(FILE_TYPES))}.`
}

/**
 * Whether the same attempt can succeed later: network trouble, busy server, expired link — not a refusal (quota 413,
 * a refused type). `committing`: the error came from completing, where 409 is a mismatch, not the pending cap.
 */
export function isRetryableUploadError(error: unknown, committing: boolean) {
  if (error instanceof UploadError) return error.status !== 413 && error.code !== 'EntityTooLarge'
  const status = (error as { statusCode?: number } | null)?.statusCode
  if (status === undefined) return true
  // Before signing, 409 is "too many uploads in progress", which passes; at completion it is a mismatch, which does not.
  if (status === 409 && !committing) return true
  return !FINAL_API_STATUSES.has(status)
}
