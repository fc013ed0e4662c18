// Every TTL, limit and policy knob lives here; routes never carry magic numbers.
const MiB = 1024 * 1024

export const authConfig = {
  minPasswordLength: 8,
} as const

export const healthConfig = {
  probeTimeoutMs: 3000,
} as const

export const storageConfig = {
  bucket: 'gallery',
  /** Pre-signed PUT lifetime (spec default 24 h). */
  uploadUrlTtlSeconds: 86_400,
  /** Pre-signed GET lifetime (spec default 1 h). */
  downloadUrlTtlSeconds: 3_600,
  /** SigV4 query signing accepts 1 s .. 7 days. */
  maxUrlTtlSeconds: 604_800,
} as const

export const profileImageConfig = {
  maxBytes: 5 * MiB,
  allowedContentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'],
  maxFilenameLength: 255,
  /** Used when the browser sends no filename, so the signed metadata is never undefined. */
  defaultFilename: 'profile-image',
} as const
