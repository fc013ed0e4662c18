// The local storage endpoint: a relay in front of wrangler dev's S3 API (/cdn-cgi/local/r2/s3) on a port and host of
// its own, so stored files are served from another origin than the app, as R2 serves them from
// <account>.r2.cloudflarestorage.com. Requests go through verbatim (Host included, so SigV4 verifies what was signed),
// bodies streamed both ways; it refuses pre-signed requests with unsigned x-amz-* headers and makes every GET/HEAD
// answer a sandboxed download (server/dev/local-storage-rules.ts).
// Hand-written on node:http: a proxy library would rewrite Host or buffer, and this needs twenty lines.
import { createServer, request } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { storageVerdict } from '../server/dev/local-storage-rules.ts'

/** The host signed URLs name: not the app's `localhost`, so storage is another site too (cookies ignore ports). */
export const STORAGE_HOST = '127.0.0.1'

/** Serves the relay to `target` (the worker's origin) on a free port; resolves to the signing endpoint once it listens. */
async function serve(target) {
  const upstreamOrigin = new URL(target)
  const server = createServer((req, res) => {
    const verdict = storageVerdict(req.method, req.url, Object.keys(req.headers))
    if ('refuse' in verdict) {
      const { status, headers, body } = verdict.refuse
      // A browser reads the refusal only with CORS; a body still on its way is discarded, then the connection closed.
      res.writeHead(status, { ...headers, 'connection': 'close', 'access-control-allow-origin': '*' }).end(body)
      req.resume()
      return
    }
    // A connection per request: storage closes one after an early refusal, and a pooled socket it closed would fail
    // the next request on it.
    const upstream = request(new URL(req.url, upstreamOrigin), { method: req.method, headers: req.headers, agent: false })
    let answered = false
    upstream.once('response', (response) => {
      answered = true
      const headers = { ...response.headers, ...verdict.answerHeaders }
      // An answer before the whole body arrived (an early refusal) ends the connection, as storage's own does: the
      // client must not reuse a socket whose request body is still being discarded.
      if (!req.complete) headers.connection = 'close'
      res.writeHead(response.statusCode, headers)
      pipeline(response, res).catch(() => res.destroy())
    })
    upstream.on('error', () => {
      if (answered) return // the answer's own stream ends or fails by itself
      if (!res.headersSent) res.writeHead(502).end()
      else res.destroy()
    })
    // Storage may answer (403) and close before the body is through; that answer is what the client must see, so the
    // rest of the body is discarded rather than the connection torn down under it.
    pipeline(req, upstream).catch(() => {
      if (answered) req.resume()
      else upstream.destroy()
    })
  })
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, STORAGE_HOST, () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  return `http://${STORAGE_HOST}:${port}/cdn-cgi/local/r2/s3`
}

if (!isMainThread && workerData?.localStorageTarget) parentPort?.postMessage(await serve(workerData.localStorageTarget))

/**
 * Starts the relay to `target` in a thread of its own: a caller that blocks its event loop (the benchmark's spawnSync
 * of curl) must not stall storage. Resolves to `endpoint`, what the worker signs for (R2_S3_ENDPOINT), and `close`.
 */
export async function startStorageRelay({ target }) {
  const thread = new Worker(new URL(import.meta.url), { workerData: { localStorageTarget: target } })
  const endpoint = await new Promise((resolve, reject) => {
    thread.once('message', resolve).once('error', reject)
      .once('exit', code => reject(new Error(`the local storage endpoint stopped before listening (exit code ${code})`)))
  })
  return { endpoint: /** @type {string} */ (endpoint), close: () => thread.terminate() }
}
