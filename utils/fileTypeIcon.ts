/** The icon for a file's type in lists: by FILE_TYPES' families, a generic file for anything else. */
export function fileTypeIcon(contentType: string): string {
  if (contentType.startsWith('image/')) return 'i-lucide-file-image'
  if (contentType.startsWith('video/')) return 'i-lucide-file-video'
  if (contentType.startsWith('audio/')) return 'i-lucide-file-audio'
  if (contentType === 'application/pdf' || contentType === 'text/markdown' || contentType === 'text/plain') return 'i-lucide-file-text'
  if (contentType === 'text/csv') return 'i-lucide-file-spreadsheet'
  if (contentType === 'application/zip') return 'i-lucide-file-archive'
  if (contentType === 'application/json' || contentType === 'text/html') return 'i-lucide-file-code'
  return 'i-lucide-file'
}

/** What a row says about its type: "PDF document", or "File" when the app has no name for it. */
export function fileTypeLabel(contentType: string): string {
  const name = fileTypeName(contentType)
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'File'
}

export function hasThumbnail(contentType: string): boolean {
  return (uploadPolicy.thumbnailContentTypes as readonly string[]).includes(contentType)
}
