import type { H3Event } from 'h3'
import type { Hyperdrive, Queue, R2Bucket, RateLimit } from '@cloudflare/workers-types'
import type { AuditMessage } from './audit'

/** Bindings and secrets declared in wrangler.jsonc (bindings) or set with `wrangler secret put` (secrets). */
export interface GalleryEnv {
  GALLERY: R2Bucket
  HYPERDRIVE: Hyperdrive
  UPLOAD_URL_LIMITER: RateLimit
  DOWNLOAD_URL_LIMITER: RateLimit
  CHANGE_LIMITER: RateLimit
  LIST_LIMITER: RateLimit
  MULTIPART_PART_LIMITER: RateLimit
  AUDIT_QUEUE: Queue<AuditMessage>
  AUDIT_DLQ: Queue<AuditMessage>
  BETTER_AUTH_SECRET?: string
  BETTER_AUTH_URL?: string
  CLOUDFLARE_ACCOUNT_ID?: string
  R2_ACCESS_KEY_ID?: string
  R2_SECRET_ACCESS_KEY?: string
  /** Overrides the R2 S3 endpoint; local runs point it at the local storage endpoint (scripts/local-storage.mjs). */
  R2_S3_ENDPOINT?: string
  /** Overrides profileImageConfig.keepVersions (a whole number, 0 = no history). */
  PROFILE_IMAGE_KEEP_VERSIONS?: string
  /** '1' only under `npm run bench`: turns on the counters and routes in server/utils/bench.ts. */
  GALLERY_BENCH?: string
}

export function useEnv(event: H3Event): GalleryEnv {
  const env = event.context.cloudflare?.env as GalleryEnv | undefined
  if (!env) throw createError({ statusCode: 500, message: 'Cloudflare bindings are not available in this runtime' })
  return env
}
