import { type IncomingMessage, request } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { inspect } from 'node:util'
import { storageVerdict } from './local-storage-rules'

// `nuxt dev` only: relays /cdn-cgi/local/r2/s3/** to the same path on the Miniflare instance behind the dev
// emulation's bindings (see ./local-s3.ts). Verbatim, Host header included, so SigV4 checks what was signed.
// It applies the local storage endpoint's rules (./local-storage-rules.ts): storage shares the app's origin here, so
// every GET/HEAD answer is a sandboxed download. (`npm start` and the tests relay through scripts/local-storage.mjs.)
//
// That instance listens on a random 127.0.0.1 port that changes on every server reload: wrangler's
// getPlatformProxy() gives Miniflare no port and returns no URL. Its binding proxies hold the URL
// (ProxyClientBridge.url = http://127.0.0.1:<port>/cdn-cgi/local/platform-proxy), readable only through
// util.inspect's showProxy; looked up per binding, so URLs signed before a reload keep working after it.

const PLATFORM_PROXY_URL = /(http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)\/cdn-cgi\/local\/platform-proxy/
const origins = new WeakMap<object, string | undefined>()

function miniflareOrigin(binding: object): string | undefined {
  if (!origins.has(binding)) {
    origins.set(binding, PLATFORM_PROXY_URL.exec(inspect(binding, { showProxy: true, depth: 4, breakLength: Infinity }))?.[1])
  }
  return origins.get(binding)
}

export default defineEventHandler(async (event) => {
  const binding = event.context.cloudflare?.env.GALLERY
  const origin = binding && miniflareOrigin(binding)
  if (!origin) throw createError({ statusCode: 503, message: 'The dev emulation\'s storage endpoint was not found on the GALLERY binding' })
  const { req, res } = event.node
  const verdict = storageVerdict(req.method!, req.url!, Object.keys(req.headers))
  if ('refuse' in verdict) {
    const { status, headers, body } = verdict.refuse
    res.writeHead(status, { ...headers, connection: 'close' }).end(body)
    req.resume()
    return
  }
  const upstream = request(new URL(req.url!, origin), { method: req.method, headers: req.headers })
  const answered = new Promise<IncomingMessage>((resolve, reject) => upstream.once('response', resolve).once('error', reject))
  // Storage may answer (403) before the body is through; that answer is what the client must see.
  pipeline(req, upstream).catch(() => upstream.destroy())
  const response = await answered
  res.writeHead(response.statusCode!, { ...response.headers, ...verdict.answerHeaders })
  await pipeline(response, res)
})
