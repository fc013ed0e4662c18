import { setResponseHeader } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import type { R2Bucket } from '@cloudflare/workers-types'
import { benchEnabled, countAuditEvents, countAuditSent, countConsumerStatement, countRequest, countStatement, countStorageCall, statementsSent, storageCallsMade } from '../counters'

// Benchmark counters (../counters.ts): request bytes at the Worker, and the SQL statements and storage binding calls
// each request made before its response went out, as response headers. The app's own work arrives through its
// `gallery:instrument` hook (server/types/hooks.d.ts).

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
  nitroApp.hooks.hook('gallery:instrument', (metric) => {
    if (metric.kind === 'audit-sent') countAuditSent()
    else if (metric.kind === 'audit-received') countAuditEvents(metric.count)
    else if (!metric.event) countConsumerStatement()
    else if (benchEnabled(metric.event)) countStatement(metric.event)
  })
  nitroApp.hooks.hook('request', (event) => {
    if (!benchEnabled(event)) return
    countRequest(event)
    const cloudflare = event.context.cloudflare
    if (cloudflare) cloudflare.env = { ...cloudflare.env, GALLERY: countingBucket(cloudflare.env.GALLERY, () => countStorageCall(event)) }
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (!benchEnabled(event)) return
    setResponseHeader(event, 'x-bench-sql-statements', String(statementsSent(event)))
    setResponseHeader(event, 'x-bench-storage-calls', String(storageCallsMade(event)))
  })
})
