// Once the response is out: start the request's deferred work (the audit queue send), then close its database connection,
// without delaying the response. Error responses skip afterResponse, so the error hook does the same for them.
export default defineNitroPlugin((nitroApp) => {
  const release = (event: Parameters<typeof releaseDB>[0] | undefined) => {
    const closing = event && releaseDB(event)
    if (closing) event.waitUntil(closing)
  }
  nitroApp.hooks.hook('afterResponse', event => release(event))
  nitroApp.hooks.hook('error', (error, { event }) => {
    // Error hooks run in parallel, i.e. synchronously before Nitro's error handler reads the status and logs the error.
    redactError(error)
    markDatabaseUnavailable(error as Parameters<typeof markDatabaseUnavailable>[0])
    markDeletedAccount(error as Parameters<typeof markDeletedAccount>[0])
    release(event)
  })
})
