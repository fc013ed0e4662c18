import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { auditConfig, rateLimitConfig, uploadsConfig } from './utils/config'

// The Worker settings the code reads too (cron, rate limits, queues), declared to wrangler from ./utils/config.ts.
// nuxt.config.ts hands them to Nitro, which merges them over wrangler.jsonc (bucket, Hyperdrive, compatibility) into
// .output/server/wrangler.json; wrangler.jsonc never repeats them.

const limiters = Object.values(rateLimitConfig).filter(limit => 'binding' in limit)

export const workerConfig = {
  // Orphan cleanup of abandoned generic uploads (server/tasks/uploads/cleanup.ts). Locally: `npm run cleanup`.
  triggers: { crons: [uploadsConfig.cleanupCron] },
  ratelimits: limiters.map(({ binding, namespaceId, limit, periodSeconds }) => ({
    name: binding, namespace_id: namespaceId, simple: { limit, period: periodSeconds },
  })),
  // Audit events (server/utils/audit.ts sends, server/utils/audit-queue.ts writes).
  queues: {
    producers: [
      { binding: 'AUDIT_QUEUE', queue: auditConfig.queue },
      // Messages that can never be written (their user is gone) go straight to the dead-letter queue.
      { binding: 'AUDIT_DLQ', queue: auditConfig.deadLetterQueue },
    ],
    consumers: [
      {
        queue: auditConfig.queue, dead_letter_queue: auditConfig.deadLetterQueue,
        max_batch_size: auditConfig.consumer.maxBatchSize, max_batch_timeout: auditConfig.consumer.maxBatchTimeoutSeconds, max_retries: auditConfig.consumer.maxRetries,
      },
      {
        queue: auditConfig.deadLetterQueue, retry_delay: auditConfig.deadLetterRetryDelaySeconds,
        max_batch_size: auditConfig.deadLetterConsumer.maxBatchSize, max_batch_timeout: auditConfig.deadLetterConsumer.maxBatchTimeoutSeconds, max_retries: auditConfig.deadLetterConsumer.maxRetries,
      },
    ],
  },
}

/**
 * Writes the whole Worker config (wrangler.jsonc plus workerConfig) to `file`, for what reads a config before any
 * build: the `nuxt dev` emulation and `wrangler types` (tests/unit/worker-env.test.ts).
 */
export function writeWranglerConfig(file: string, source = 'wrangler.jsonc'): void {
  // Node's own require: nuxt.config.ts runs under jiti, whose module loader breaks wrangler's bundled miniflare.
  const { experimental_readRawConfig } = createRequire(import.meta.url)('wrangler') as typeof import('wrangler')
  const { rawConfig } = experimental_readRawConfig({ config: source })
  writeFileSync(file, JSON.stringify({ ...rawConfig, ...workerConfig }, null, 2))
}
