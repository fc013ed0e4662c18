import type * as Workers from '@cloudflare/workers-types'

// The binding types ./worker-env.d.ts (`wrangler types` output) names as globals; the server imports the rest of
// @cloudflare/workers-types by name, since its globals clash with the DOM's.
declare global {
  type R2Bucket = Workers.R2Bucket
  type Hyperdrive = Workers.Hyperdrive
  type Queue<Body = unknown> = Workers.Queue<Body>
  type RateLimit = Workers.RateLimit
}
