import { setResponseHeader } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import { auditQueueHooks } from '../../server/utils/audit-queue'
import { benchEnabled, countAuditEvents, countAuditSent, countConsumerStatement, countRequest, countStatement, statementsSent } from './counters'

// Benchmark counters (./counters.ts): request bytes at the Worker, and the SQL statements each request sent before
// its response went out, as a response header.
export default defineNitroPlugin((nitroApp) => {
  // The consumer runs outside any request; its counts are only read through /__bench/stats, i.e. under a benchmark.
  auditQueueHooks.onSent = countAuditSent
  auditQueueHooks.onEvents = countAuditEvents
  auditQueueHooks.onStatement = countConsumerStatement
  nitroApp.hooks.hook('request', (event) => {
    if (!benchEnabled(event)) return
    countRequest(event)
    event.context.onStatement = () => countStatement(event)
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (benchEnabled(event)) setResponseHeader(event, 'x-bench-sql-statements', String(statementsSent(event)))
  })
})
