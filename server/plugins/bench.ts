// Benchmark counters (server/utils/bench.ts): request bytes at the Worker, and the SQL statements each request
// sent before its response went out, as a response header.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    if (benchEnabled(event)) countRequest(event)
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (benchEnabled(event)) setResponseHeader(event, 'x-bench-sql-statements', String(event.context.sqlStatements ?? 0))
  })
})
