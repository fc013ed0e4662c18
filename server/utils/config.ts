// Every server-side TTL, limit and policy knob lives here (what the browser must know too is in shared/utils/policy.ts);
// routes never carry magic numbers.
import { passwordPolicy } from '../../shared/utils/policy'

export const authConfig = {
  minPasswordLength: passwordPolicy.minLength,
  /**
   * How long a signed session snapshot in a cookie stands in for the database: within it an authenticated request
   * costs no SQL. It is also how long a session revoked elsewhere (sign-out on another device) keeps working.
   */
  sessionCacheSeconds: 300,
  /** How the snapshot is written; server/utils/session.ts reads it the same way without a Better Auth instance. */
  sessionCache: { strategy: 'compact', version: '1' },
} as const

export const requestConfig = {
  /** The largest JSON body the API reads: its biggest legitimate body (100 recorded parts) is under 10 KiB. */
  maxJsonBodyBytes: 64 * 1024,
} as const

export const healthConfig = {
  probeTimeoutMs: 3000,
  /** How long an anonymous /api/health answer is reused (local callers always get a live probe). */
  cacheSeconds: 15,
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

/** Profile image history. */
export const profileImageConfig = {
  /**
   * Earlier images kept per user; 0 turns history off (an upload overwrites, as before). A deployment overrides it
   * with the PROFILE_IMAGE_KEEP_VERSIONS var (read by keptVersions in server/utils/profile-image-versions.ts).
   */
  keepVersions: 5,
  /** Lifetime of the pre-signed GETs the history strip shows as thumbnails. */
  versionUrlTtlSeconds: 300,
} as const

/** Generic uploads: what the server alone decides (what the browser checks too lives in shared/utils/policy.ts). */
export const uploadsConfig = {
  /** Per user: committed plus live pending uploads may hold at most this many bytes. */
  quotaBytes: 1024 ** 3,
  /** Per user: at most this many uploads signed but not yet completed (live pending rows). */
  maxPendingUploads: 50,
  /** Pending rows older than the upload URL's expiry plus this margin are orphans. */
  orphanMarginSeconds: 3_600,
  cleanupBatchSize: 100,
  /**
   * Wall-clock time a cleanup run keeps taking batches; what is left waits for the next run and shows as `backlog`
   * in its log line. Most of it is I/O wait, so the run stays well inside a Worker's default 30 s CPU limit.
   */
  cleanupTimeBudgetMs: 20_000,
  /** Cron for the orphan cleanup: the Worker's only trigger (server/worker-config.ts declares it to wrangler). */
  cleanupCron: '17 * * * *',
} as const

/**
 * Per-user limits on URL issuance, enforced by the Workers Rate Limiting bindings that server/worker-config.ts
 * declares from these entries (`namespaceId` is the binding's namespace_id, unique per account).
 */
export const rateLimitConfig = {
  uploadUrls: { binding: 'UPLOAD_URL_LIMITER', namespaceId: '1001', limit: 30, periodSeconds: 60, what: 'uploads' },
  downloadUrls: { binding: 'DOWNLOAD_URL_LIMITER', namespaceId: '1002', limit: 120, periodSeconds: 60, what: 'downloads' },
  /** Commits, deletes and profile updates: each costs writes (and storage calls or a session-cache drop). */
  changes: { binding: 'CHANGE_LIMITER', namespaceId: '1003', limit: 60, periodSeconds: 60, what: 'changes' },
  /** Multipart part URLs signed and parts reported: a large file is ~32 parts (at most 10,000), signed in batches and reported 8 at a time. */
  multipartParts: { binding: 'MULTIPART_PART_LIMITER', namespaceId: '1005', limit: 600, periodSeconds: 60, what: 'file parts' },
  /** The uploads and activity lists: each is a query. */
  lists: { binding: 'LIST_LIMITER', namespaceId: '1004', limit: 120, periodSeconds: 60, what: 'list requests' },
  /** Better Auth's limiter on /api/auth/* (per client IP; sign-in/sign-up have its stricter built-in rule). */
  auth: { windowSeconds: 60, max: 100 },
} as const

export const auditConfig = {
  recentActivityLimit: 20,
  /** Audit rows read to build those entries (repeats collapse into one entry). */
  activityRowsScanned: 200,
  maxUserAgentLength: 512,
  /** Queue names (declared to wrangler by server/worker-config.ts); the consumer tells its two batches apart by them. */
  queue: 'gallery-audit',
  deadLetterQueue: 'gallery-audit-dlq',
  /**
   * The consumer gets a batch within ~1 s; a database outage is retried with backoff (retryDelaySeconds, ~6 min in
   * all over maxRetries) before the dead-letter queue, whose consumer keeps each message in audit_dead_letter.
   */
  consumer: { maxBatchSize: 100, maxBatchTimeoutSeconds: 1, maxRetries: 10 },
  deadLetterConsumer: { maxBatchSize: 100, maxBatchTimeoutSeconds: 5, maxRetries: 100 },
  /** Delay before a batch that met an unreachable database is tried again: doubles per attempt, capped. */
  retryDelaySeconds: (attempts: number) => Math.min(60, 2 ** attempts),
  deadLetterRetryDelaySeconds: 60,
} as const
