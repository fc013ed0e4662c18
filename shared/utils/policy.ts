// What the app accepts, in one place for the server that enforces it and the browser that checks it first:
// sizes, allowed types with the names people read, filename and list limits.
const MiB = 1024 * 1024

/** Every content type the app knows, with its key extension and the name used in messages. */
export const FILE_TYPES: Record<string, { extension: string, name: string, shortName: string }> = {
  'image/png': { extension: 'png', name: 'PNG image', shortName: 'PNG' },
  'image/jpeg': { extension: 'jpg', name: 'JPEG image', shortName: 'JPEG' },
  'image/webp': { extension: 'webp', name: 'WebP image', shortName: 'WebP' },
  'image/gif': { extension: 'gif', name: 'GIF image', shortName: 'GIF' },
  'image/avif': { extension: 'avif', name: 'AVIF image', shortName: 'AVIF' },
  'image/svg+xml': { extension: 'svg', name: 'SVG image', shortName: 'SVG' },
  'application/pdf': { extension: 'pdf', name: 'PDF document', shortName: 'PDF' },
  'application/zip': { extension: 'zip', name: 'ZIP archive', shortName: 'ZIP' },
  'application/json': { extension: 'json', name: 'JSON file', shortName: 'JSON' },
  'text/plain': { extension: 'txt', name: 'text file', shortName: 'text' },
  'text/csv': { extension: 'csv', name: 'CSV table', shortName: 'CSV' },
  'text/markdown': { extension: 'md', name: 'Markdown document', shortName: 'Markdown' },
  'text/html': { extension: 'html', name: 'HTML page', shortName: 'HTML' },
  'audio/mpeg': { extension: 'mp3', name: 'MP3 audio', shortName: 'MP3' },
  'video/mp4': { extension: 'mp4', name: 'MP4 video', shortName: 'MP4' },
}

export const passwordPolicy = {
  minLength: 8,
} as const

export const profileImagePolicy = {
  /** What is uploaded: the cropped, shrunk image the browser prepares (the server signs no more). */
  maxBytes: 5 * MiB,
  /**
   * The original a person chooses is only decoded and cropped in the browser, so it may be far larger: phone photos of
   * 6–30 MB are common. Beyond these, decoding costs too much memory for a phone (100 MP is ~400 MB as a bitmap).
   */
  maxSourceBytes: 40 * MiB,
  maxSourcePixels: 100_000_000,
  contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'],
  maxFilenameLength: 255,
  /** Used when the browser sends no filename, so the signed metadata is never undefined. */
  defaultFilename: 'profile-image',
  /** The browser crops to a square and scales down to at most this many pixels a side before upload. */
  maxSidePixels: 1024,
} as const

/** Generic uploads. Downloads are always `attachment`, never inline, whatever the type. */
export const uploadPolicy = {
  maxBytes: 100 * MiB,
  maxFilenameLength: 255,
  /** The types of FILE_TYPES accepted here (all of them), plus "unknown" below. */
  contentTypes: [...Object.keys(FILE_TYPES), 'application/octet-stream'],
  /** What a browser reports when it does not know a type; the key extension then comes from the filename. */
  unknownContentType: 'application/octet-stream',
  fallbackExtension: 'bin',
  listPageSize: 20,
  maxListPageSize: 100,
  /** `POST /api/uploads/download-urls` signs at most this many GET URLs per request (the browser sends a page's worth). */
  maxDownloadUrlBatch: 50,
  /** Shown as thumbnails in the gallery. Not SVG: opened from storage directly it could run script. */
  thumbnailContentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'],
  /** How long a deleted file can be brought back (Undo) before the browser sends the DELETE. */
  undoDeleteMs: 6_000,
} as const

/**
 * The small WebP the browser makes of an image upload and stores beside it, which the grid shows instead of the
 * original. Files no larger than `maxBytes` get none: the original already costs no more than a preview would.
 */
export const previewPolicy = {
  contentType: 'image/webp',
  /** 48 KiB: a page of 20 thumbnails then stays under 1 MB with response headers, whatever the photos (docs/benchmarks.md). */
  maxBytes: 48 * 1024,
  /** Longest side in pixels; smaller images are never scaled up. */
  maxSidePixels: 320,
  /** Upload types a preview may be signed for: those the grid shows as images. */
  sourceContentTypes: uploadPolicy.thumbnailContentTypes,
} as const

/** Whether an upload of this type and size gets a preview. */
export function wantsPreview(contentType: string, fileSize: number): boolean {
  return (previewPolicy.sourceContentTypes as readonly string[]).includes(contentType) && fileSize > previewPolicy.maxBytes
}

/** Types people commonly try that the app refuses, with the names they know, so no message shows MIME jargon. */
const REFUSED_TYPE_NAMES: Record<string, string> = {
  'application/x-ms-dos-executable': 'Windows program',
  'application/x-msdownload': 'Windows program',
  'application/x-msdos-program': 'Windows program',
  'application/vnd.microsoft.portable-executable': 'Windows program',
  'application/x-executable': 'program',
  'application/x-msi': 'Windows installer',
  'application/x-ms-installer': 'Windows installer',
  'application/x-apple-diskimage': 'macOS disk image',
  'application/vnd.android.package-archive': 'Android app',
  'application/java-archive': 'Java archive',
  'application/x-sh': 'shell script',
  'application/x-shellscript': 'shell script',
  'application/x-bat': 'batch script',
  'application/javascript': 'JavaScript file',
  'text/javascript': 'JavaScript file',
  'application/x-rar-compressed': 'RAR archive',
  'application/vnd.rar': 'RAR archive',
  'application/x-7z-compressed': '7-Zip archive',
  'application/x-iso9660-image': 'disk image',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
}

/** "PDF document", "Windows program": the name of a type for people; null when the app has no name for it. */
export function fileTypeName(contentType: string): string | null {
  return FILE_TYPES[contentType]?.name ?? REFUSED_TYPE_NAMES[contentType] ?? null
}

/** "PNG, JPEG or GIF": short names of the given types, for "use one of these" messages. */
export function fileTypeList(contentTypes: readonly string[]): string {
  const names = contentTypes.map(type => FILE_TYPES[type]?.shortName ?? type)
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('')
}

/**
 * Large files go to storage in parts (S3 multipart): resumable, several parts at once, up to 5 GiB. The browser and the
 * server compute the same part size from the file size, so the browser can slice the file before asking for URLs.
 */
export const multipartPolicy = {
  /** Files of at least this size use multipart; smaller ones keep the single pre-signed PUT. */
  thresholdBytes: 64 * MiB,
  maxBytes: 5 * 1024 * MiB,
  /** R2/S3: every part but the last must be at least 5 MiB, and an upload has at most 10,000 parts. */
  minPartBytes: 5 * MiB,
  maxParts: 10_000,
  /**
   * Parts grow past the minimum so that a file needs about this many. Each part costs a PUT, a record request and its
   * share of signing, on the Worker too (~20 ms of its CPU per JSON request locally); fewer, larger parts cost more on a
   * reload (the parts in flight, ≤ 4/32 of the file, start over) and on a failed part (1/32 re-sent). See docs/architecture.md and docs/benchmarks.md.
   */
  targetParts: 32,
  /** Parts the browser sends at once, and URLs it asks for per signing request. */
  parallelParts: 4,
  maxPartsPerSigningRequest: 100,
  /** `GET /api/uploads/multipart` lists at most this many unfinished uploads (the server's pending cap is 50). */
  maxPendingListed: 50,
} as const

/** Every part but the last has this size: at least 5 MiB, a whole number of MiB, and ≤ maxParts parts in all. */
export function multipartPartSize(fileSize: number): number {
  const { minPartBytes, maxParts, targetParts } = multipartPolicy
  const wanted = Math.max(minPartBytes, Math.ceil(fileSize / targetParts), Math.ceil(fileSize / maxParts))
  return Math.ceil(wanted / MiB) * MiB
}

export function multipartPartCount(fileSize: number, partSize = multipartPartSize(fileSize)): number {
  return Math.ceil(fileSize / partSize)
}

/** The exact byte length of part `partNumber` (1-based): the last one holds what is left. */
export function multipartPartLength(fileSize: number, partSize: number, partNumber: number): number {
  return Math.min(partSize, fileSize - (partNumber - 1) * partSize)
}

/** Bytes of the parts storage holds, given how many are recorded and whether the short last part is among them. */
export function multipartStoredBytes(fileSize: number, partSize: number, recordedParts: number, lastRecorded: boolean): number {
  if (recordedParts === 0) return 0
  const last = multipartPartLength(fileSize, partSize, multipartPartCount(fileSize, partSize))
  return lastRecorded ? (recordedParts - 1) * partSize + last : recordedParts * partSize
}
