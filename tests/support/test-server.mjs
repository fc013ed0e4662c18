// A throwaway Gallery for tests: a fresh Postgres database (TEST_DATABASE_URL, or a new one created on the given
// server), migrations applied, the production bundle in workerd with a fresh --persist-to directory.
// Used by vitest's globalSetup (imported) and by Playwright's webServer (run as a script).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { migrateDatabase } from '../../scripts/migrate.mjs'
import { createThrowawayDatabase, startPostgresServer } from '../../scripts/databases.mjs'
import { startWorker, stopProcessGroup, waitForHttp } from '../../scripts/worker.mjs'

/**
 * The server the test runners create their databases on: TEST_POSTGRES_URL or TEST_DATABASE_URL's server when set,
 * else an embedded PostgreSQL of their own (so `npm test` needs no database on the machine).
 */
export function startTestPostgres() {
  return startPostgresServer(process.env.TEST_POSTGRES_URL ?? process.env.TEST_DATABASE_URL)
}

async function createDatabase({ fresh, postgresUrl }) {
  if (process.env.TEST_DATABASE_URL && !fresh) return { url: process.env.TEST_DATABASE_URL, drop: async () => {} }
  return createThrowawayDatabase('gallery_test', postgresUrl)
}

/**
 * `postgresUrl` is the server to create the database on; `workerDatabaseUrl` lets a test put something between the
 * worker and Postgres (the fault suite's TCP proxy); `logFile` receives everything the worker prints (the secrets
 * suite scans it); `vars` are extra worker vars (e.g. PROFILE_IMAGE_KEEP_VERSIONS).
 */
export async function startTestServer({ port, postgresUrl, stdio = 'inherit', workerDatabaseUrl = url => url, fresh = false, logFile = /** @type {string | undefined} */ (undefined), secret = /** @type {string | undefined} */ (undefined), vars = /** @type {Record<string, string>} */ ({}) }) {
  const database = await createDatabase({ fresh, postgresUrl })
  await migrateDatabase(database.url)
  const persistTo = mkdtempSync(join(tmpdir(), 'gallery-r2-'))
  const worker = await startWorker({
    port,
    databaseUrl: workerDatabaseUrl(database.url),
    persistTo,
    stdio: logFile ? ['ignore', 'pipe', 'pipe'] : stdio,
    vars: { BETTER_AUTH_SECRET: secret ?? randomBytes(32).toString('hex'), ...vars },
  })
  if (logFile) {
    // Two sources into one file: neither may end it (stdout closing first made a late stderr write throw).
    const log = createWriteStream(logFile, { flags: 'a' })
    worker.stdout.pipe(log, { end: false })
    worker.stderr.pipe(log, { end: false })
    worker.once('close', () => log.end())
  }
  const baseURL = `http://localhost:${port}`
  const stop = async () => {
    stopProcessGroup(worker)
    await new Promise(resolve => worker.exitCode !== null || worker.signalCode !== null ? resolve() : worker.once('exit', resolve))
    rmSync(persistTo, { recursive: true, force: true })
    await database.drop()
  }
  try {
    // workerd's first start compiles the bundle: minutes on a busy 2-core machine.
    await waitForHttp(`${baseURL}/api/health`, { timeoutMs: 180_000 })
  }
  catch (error) {
    await stop()
    throw error
  }
  return { baseURL, storageEndpoint: worker.storageEndpoint, databaseUrl: database.url, persistTo, stop }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8791' }, log: { type: 'string' } } })
  const postgres = await startTestPostgres()
  const server = await startTestServer({
    port: Number(values.port), postgresUrl: postgres.url, logFile: values.log, secret: process.env.GALLERY_TEST_AUTH_SECRET,
  }).catch(async (error) => {
    await postgres.stop()
    throw error
  })
  console.log(`Test server ready on ${server.baseURL}`)
  const shutdown = () => server.stop().finally(() => postgres.stop()).finally(() => process.exit(0))
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
