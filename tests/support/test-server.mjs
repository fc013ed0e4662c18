// A throwaway Gallery for tests: a fresh Postgres database (TEST_DATABASE_URL, or a new one created on the local
// server), migrations applied, the production bundle in workerd with a fresh --persist-to directory.
// Used by vitest's globalSetup (imported) and by Playwright's webServer (run as a script).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { migrateDatabase } from '../../scripts/migrate.mjs'
import { LOCAL_POSTGRES, createThrowawayDatabase } from '../../scripts/databases.mjs'
import { startWorker, stopProcessGroup, waitForHttp } from '../../scripts/worker.mjs'

async function createDatabase({ fresh }) {
  if (process.env.TEST_DATABASE_URL && !fresh) return { url: process.env.TEST_DATABASE_URL, drop: async () => {} }
  return createThrowawayDatabase('gallery_test', process.env.TEST_POSTGRES_URL ?? LOCAL_POSTGRES)
}

/**
 * `workerDatabaseUrl` lets a test put something between the worker and Postgres (the fault suite's TCP proxy);
 * `logFile` receives everything the worker prints (the secrets suite scans it).
 */
export async function startTestServer({ port, stdio = 'inherit', workerDatabaseUrl = url => url, fresh = false, logFile, secret }) {
  const database = await createDatabase({ fresh })
  await migrateDatabase(database.url)
  const persistTo = mkdtempSync(join(tmpdir(), 'gallery-r2-'))
  const worker = startWorker({
    port,
    databaseUrl: workerDatabaseUrl(database.url),
    persistTo,
    stdio: logFile ? ['ignore', 'pipe', 'pipe'] : stdio,
    vars: { BETTER_AUTH_SECRET: secret ?? randomBytes(32).toString('hex') },
  })
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' })
    worker.stdout.pipe(log)
    worker.stderr.pipe(log)
  }
  const baseURL = `http://localhost:${port}`
  const stop = async () => {
    stopProcessGroup(worker)
    await new Promise(resolve => worker.exitCode !== null ? resolve() : worker.once('exit', resolve))
    rmSync(persistTo, { recursive: true, force: true })
    await database.drop()
  }
  try {
    await waitForHttp(`${baseURL}/api/health`)
  }
  catch (error) {
    await stop()
    throw error
  }
  return { baseURL, databaseUrl: database.url, persistTo, stop }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8791' }, log: { type: 'string' } } })
  const server = await startTestServer({ port: Number(values.port), logFile: values.log, secret: process.env.GALLERY_TEST_AUTH_SECRET })
  console.log(`Test server ready on ${server.baseURL}`)
  const shutdown = () => server.stop().finally(() => process.exit(0))
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
