// Close the request's database connection once the response is out (and its background work is done), without
// delaying it. Error responses skip afterResponse, so the error hook does the same for them.
export default defineNitroPlugin((nitroApp) => {
  const release = (event: Parameters<typeof releaseDB>[0] | undefined) => {
    const closing = event && releaseDB(event)
    if (closing) event.waitUntil(closing)
  }
  nitroApp.hooks.hook('afterResponse', event => release(event))
  nitroApp.hooks.hook('error', (_error, { event }) => release(event))
})
