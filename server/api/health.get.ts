export default defineEventHandler(async (event) => {
  // Anonymous callers from the internet get a recent result: a probe per hit would let anyone open connections at will.
  const report = isLocalCaller(event) ? await checkHealth(event) : await recentHealth(event)
  setResponseStatus(event, report.status === 'ok' ? 200 : 503)
  return report
})
