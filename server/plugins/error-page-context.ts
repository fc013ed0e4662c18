import type { ExecutionContext } from '@cloudflare/workers-types'
import type { GalleryEnv } from '../utils/env'

// Nuxt renders an error page (an unknown route's 404 too) through an internal request to /__nuxt_error that carries
// no Cloudflare context, so the page's session lookup and headers failed and every error became a bare 500.
// Bindings are the same for every request of the Worker: the cloudflare-module entry keeps them on globalThis.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    const env = (globalThis as { __env__?: GalleryEnv }).__env__
    if (event.context.cloudflare || !env || !event.path.startsWith('/__nuxt_error')) return
    // Nothing hands this internal request's waitUntil to the Worker's context, so work deferred here (the database
    // connection's release) is not kept alive past the answer; the page itself needs none.
    const context = { waitUntil: (promise: Promise<unknown>) => event.waitUntil(promise), passThroughOnException: () => {} }
    const cloudflare = { env, context: context as unknown as ExecutionContext, request: toWebRequest(event) }
    event.context.cloudflare = cloudflare
    // Nitro hands only `_platform` on to the page's own internal requests (the session lookup).
    Object.assign(event.context, { _platform: { cloudflare } })
  })
})
