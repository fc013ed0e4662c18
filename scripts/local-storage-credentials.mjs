// The throwaway keys wrangler dev's local S3 endpoint accepts: r2_buckets[GALLERY].local_dev.experimental_s3_credentials
// in wrangler.jsonc (copied into every built wrangler.json). One reader for scripts, the dev plugin, tests and bench.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const ROOT_CONFIG = fileURLToPath(new URL('../wrangler.jsonc', import.meta.url))
// Required at run time (wrangler parses JSONC), so the dev server's bundle never includes it.
const require = createRequire(import.meta.url)

/** `configPath`: wrangler.jsonc by default, or a built wrangler.json. */
export function localS3Credentials(configPath = ROOT_CONFIG) {
  const { rawConfig } = require('wrangler').experimental_readRawConfig({ config: configPath })
  const credentials = rawConfig.r2_buckets?.find(bucket => bucket.binding === 'GALLERY')?.local_dev?.experimental_s3_credentials
  if (!credentials) throw new Error(`${configPath}: GALLERY has no local_dev.experimental_s3_credentials`)
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }
}
