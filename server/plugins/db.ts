// Close the request's database connection once the response is out, without delaying it.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('afterResponse', (event) => {
    const closing = releaseDB(event)
    if (closing) event.waitUntil(closing)
  })
})
