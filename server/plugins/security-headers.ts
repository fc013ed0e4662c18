// Security headers for every HTML page. img-src / connect-src allow only this origin and the R2 endpoint the
// signer points at; blob: is for the avatar, shown from downloaded bytes. Nuxt's hydration needs inline scripts
// and styles, hence 'unsafe-inline' there (no remote script source is allowed).
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:response', (response, { event }) => {
    const storage = storageOrigin(event)
    const sources = storage ? `'self' ${storage}` : `'self'`
    response.headers = {
      ...response.headers,
      'content-security-policy': [
        `default-src 'self'`,
        `script-src 'self' 'unsafe-inline'`,
        `style-src 'self' 'unsafe-inline'`,
        `img-src ${sources} blob: data:`,
        `connect-src ${sources} blob:`,
        `font-src 'self'`,
        `object-src 'none'`,
        `base-uri 'self'`,
        `form-action 'self'`,
        `frame-ancestors 'none'`,
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // Pages never send their URL onwards, so nothing signed can leak through Referer.
      'referrer-policy': 'no-referrer',
    }
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    setResponseHeader(event, 'x-content-type-options', 'nosniff')
  })
})
