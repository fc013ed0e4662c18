import { setResponseHeader } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import { auditQueueHooks } from '../../server/utils/audit-queue'
import type { R2Bucket } from '@cloudflare/workers-types'
import { benchEnabled, countAuditEvents, countAuditSent, countConsumerStatement, countRequest, countStatement, countStorageCall, statementsSent, storageCallsMade } from './counters'

// Benchmark counters (./counters.ts): request bytes at the Worker, and the SQL statements and storage binding calls
// each request made before its response went out, as response headers.

const STORAGE_CALLS = new Set(['head', 'get', 'put', 'delete', 'list', 'createMultipartUpload'])

/** The request's own view of the bucket binding, counting the calls that reach storage. */
function countingBucket(bucket: R2Bucket, count: () => void): R2Bucket {
  return new Proxy(bucket, {
    get(target, property) {
      const value = Reflect.get(target, property)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (STORAGE_CALLS.has(String(property))) count()
        return value.apply(target, args)
      }
    },
  })
}
export default defineNitroPlugin((nitroApp) => {
  // The consumer runs outside any request; its counts are only read through /__bench/stats, i.e. under a benchmark.
  auditQueueHooks.onSent = countAuditSent
  auditQueueHooks.onEvents = countAuditEvents
  auditQueueHooks.onStatement = countConsumerStatement
  nitroApp.hooks.hook('request', (event) => {
    if (!benchEnabled(event)) return
    countRequest(event)
    event.context.onStatement = () => countStatement(event)
    const cloudflare = event.context.cloudflare as { env: { GALLERY: R2Bucket } } | undefined
    if (cloudflare) cloudflare.env = { ...cloudflare.env, GALLERY: countingBucket(cloudflare.env.GALLERY, () => countStorageCall(event)) }
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (!benchEnabled(event)) return
    setResponseHeader(event, 'x-bench-sql-statements', String(statementsSent(event)))
    setResponseHeader(event, 'x-bench-storage-calls', String(storageCallsMade(event)))
  })
})
