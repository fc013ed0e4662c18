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
  maxBytes: 5 * MiB,
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
} as const

/** "PNG, JPEG or GIF": short names of the given types, for "use one of these" messages. */
export function fileTypeList(contentTypes: readonly string[]): string {
  const names = contentTypes.map(type => FILE_TYPES[type]?.shortName ?? type)
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('')
}
