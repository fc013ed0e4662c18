// Every TTL, limit and policy knob lives here; routes never carry magic numbers.
const MiB = 1024 * 1024

export const authConfig = {
  minPasswordLength: 8,
  /**
   * How long a signed session snapshot in a cookie stands in for the database: within it an authenticated request
   * costs no SQL. It is also how long a session revoked elsewhere (sign-out on another device) keeps working.
   */
  sessionCacheSeconds: 300,
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

/** Generic uploads: content-type policy (type → key extension), size, listing and cleanup limits. */
export const uploadsConfig = {
  maxBytes: 100 * MiB,
  maxFilenameLength: 255,
  /** Allowed content types and the extension their keys get. Downloads are always `attachment`, never inline. */
  extensionByContentType: {
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/webp': 'webp',
    'image/gif': 'gif',
    'image/avif': 'avif',
    'image/svg+xml': 'svg',
    'application/pdf': 'pdf',
    'application/zip': 'zip',
    'application/json': 'json',
    'text/plain': 'txt',
    'text/csv': 'csv',
    'text/markdown': 'md',
    'text/html': 'html',
    'audio/mpeg': 'mp3',
    'video/mp4': 'mp4',
  } as Record<string, string>,
  /** What a browser reports when it does not know a type; the key extension then comes from the filename. */
  unknownContentType: 'application/octet-stream',
  fallbackExtension: 'bin',
  listPageSize: 20,
  maxListPageSize: 100,
  /** Pending rows older than the upload URL's expiry plus this margin are orphans. */
  orphanMarginSeconds: 3_600,
  cleanupBatchSize: 100,
  cleanupMaxBatches: 20,
  /** Cron for the orphan cleanup; must match `triggers.crons` in wrangler.jsonc. */
  cleanupCron: '17 * * * *',
} as const

/**
 * Per-user limits on URL issuance, enforced by the Workers Rate Limiting bindings. The binding's own `simple`
 * block in wrangler.jsonc is what counts; tests/unit/config.test.ts keeps these numbers equal to it.
 */
export const rateLimitConfig = {
  uploadUrls: { binding: 'UPLOAD_URL_LIMITER', limit: 30, periodSeconds: 60 },
  downloadUrls: { binding: 'DOWNLOAD_URL_LIMITER', limit: 120, periodSeconds: 60 },
  /** Better Auth's limiter on /api/auth/* (per client IP; sign-in/sign-up have its stricter built-in rule). */
  auth: { windowSeconds: 60, max: 100 },
} as const

export const auditConfig = {
  recentActivityLimit: 20,
  maxUserAgentLength: 512,
} as const
