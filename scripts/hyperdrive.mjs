// `npm run db:hyperdrive`: creates the Worker's Hyperdrive config for DATABASE_URL, with the query cache off.
// Hyperdrive caches read-only queries (parameterised ones too) for ~60 s by default. Better Auth's rate limiter reads,
// inserts, and after a unique violation re-reads and throws if the row is still missing, so a cached "no row" turns
// repeated /api/auth/* calls into 500s; revoked sessions and renamed users would also be read stale.
// `--print` prints the command (password masked) instead of running it.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export const HYPERDRIVE_NAME = 'gallery-db'

export function hyperdriveArgs(connectionString) {
  return ['hyperdrive', 'create', HYPERDRIVE_NAME, `--connection-string=${connectionString}`, '--caching-disabled']
}

/** The URL with its password (in the user info or a `password` query parameter) replaced by `****`. */
export function maskPassword(connectionString) {
  const url = new URL(connectionString)
  if (url.password) url.password = '****'
  if (url.searchParams.has('password')) url.searchParams.set('password', '****')
  return url.href
}

function shellWord(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll('\'', '\'\\\'\'')}'`
}

function isPostgresUrl(value) {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol)
  }
  catch {
    return false
  }
}

function fail(message) {
  console.error(message)
  process.exit(1)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let values
  try {
    ({ values } = parseArgs({ options: { print: { type: 'boolean', default: false } } }))
  }
  catch (error) {
    fail(error.message)
  }
  const url = process.env.DATABASE_URL
  if (!url) fail('Set DATABASE_URL to the Postgres database Hyperdrive should connect to (postgres://user:password@host:port/db).')
  // Never echo the value: it holds the password.
  if (!isPostgresUrl(url)) fail('DATABASE_URL must be a postgres:// or postgresql:// URL.')
  const printed = ['wrangler', ...hyperdriveArgs(maskPassword(url))].map(shellWord).join(' ')
  if (values.print) {
    console.log(printed)
    process.exit(0)
  }
  console.log(`Running: ${printed}`)
  const result = spawnSync('wrangler', hyperdriveArgs(url), { stdio: 'inherit' })
  if (result.error) fail(`Could not run wrangler (${result.error.message}): run this through \`npm run db:hyperdrive\`.`)
  process.exit(result.status ?? 1)
}
