// `npm run r2:cors`: sets the `gallery` bucket's CORS rule for the site's origin (`--origin https://…`, else
// BETTER_AUTH_URL) with only what browsers send: PUT uploads, GET/HEAD downloads, the signed header names (the write
// condition included).
// `--any-origin` allows every origin (as r2/cors.json does); `--print` prints the rule instead of applying it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { UPLOAD_REQUEST_HEADERS } from '../shared/utils/upload-contract.ts'

export const BUCKET = 'gallery'

/** The origin of an http(s) URL (`https://host[:port]`, no path); throws on anything else. */
export function siteOrigin(value) {
  let url
  try {
    url = new URL(value)
  }
  catch {
    throw new Error(`${JSON.stringify(value)} is not a URL: give the site's origin, e.g. https://gallery.example.com`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${JSON.stringify(value)} is not an http(s) origin`)
  return url.origin
}

export function corsRule({ origin, anyOrigin = false }) {
  return {
    allowed: {
      methods: ['PUT', 'GET', 'HEAD'],
      origins: [anyOrigin ? '*' : siteOrigin(origin)],
      headers: UPLOAD_REQUEST_HEADERS,
    },
    exposeHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  }
}

function fail(message) {
  console.error(message)
  process.exit(1)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let values
  try {
    ({ values } = parseArgs({
      options: {
        'origin': { type: 'string' },
        'any-origin': { type: 'boolean', default: false },
        'print': { type: 'boolean', default: false },
      },
    }))
  }
  catch (error) {
    fail(error.message)
  }
  if (values.origin && values['any-origin']) fail('Give either --origin or --any-origin, not both.')
  const origin = values.origin ?? process.env.BETTER_AUTH_URL
  if (!origin && !values['any-origin']) fail('Set BETTER_AUTH_URL or pass --origin https://your.site (--any-origin allows every origin).')

  let config
  try {
    config = { rules: [corsRule({ origin, anyOrigin: values['any-origin'] })] }
  }
  catch (error) {
    fail(error.message)
  }
  const json = `${JSON.stringify(config, null, 2)}\n`
  if (values.print) {
    process.stdout.write(json)
    process.exit(0)
  }

  console.log(`Setting the CORS rule of bucket ${BUCKET}:\n${json}`)
  const dir = mkdtempSync(join(tmpdir(), 'gallery-cors-'))
  let result
  try {
    const file = join(dir, 'cors.json')
    writeFileSync(file, json)
    result = spawnSync('wrangler', ['r2', 'bucket', 'cors', 'set', BUCKET, '--file', file], { stdio: 'inherit' })
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
  if (result.error) fail(`Could not run wrangler (${result.error.message}): run this through \`npm run r2:cors\`.`)
  process.exit(result.status ?? 1)
}
