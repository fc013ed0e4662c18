/* eslint-disable @typescript-eslint/triple-slash-reference -- global types that projects importing this file from
   outside server/ (the app's, the tests') would otherwise not see */
/// <reference path="../types/worker-env.d.ts" />
/// <reference path="../types/worker-globals.d.ts" />
/* eslint-enable @typescript-eslint/triple-slash-reference */
import type { H3Event } from 'h3'
import type { Queue } from '@cloudflare/workers-types'
import type { AuditMessage } from './audit'

/**
 * The Worker's bindings as `wrangler types` generates them (server/types/worker-env.d.ts: `npm run types:worker`),
 * with the queues' message type, plus what wrangler cannot see: secrets (`wrangler secret put`) and vars.
 */
export interface GalleryEnv extends Omit<WorkerEnv, 'AUDIT_QUEUE' | 'AUDIT_DLQ'> {
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
  /** Every limiter's limit per period when the bindings were declared with another than rateLimitConfig's (the benchmark raises them): must match their `simple.limit`. */
  RATE_LIMIT_OVERRIDE?: string
}

export function useEnv(event: H3Event): GalleryEnv {
  const env = event.context.cloudflare?.env
  if (!env) throw createError({ statusCode: 500, message: 'Cloudflare bindings are not available in this runtime' })
  return env
}
