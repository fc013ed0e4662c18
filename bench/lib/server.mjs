// The benchmark's Gallery: the benchmark build (`npm run build:bench`: the app extended with the bench/ layer, its
// counters and bare signing route) under `wrangler dev` with GALLERY_BENCH=1, a throwaway database on a real Postgres, and rate limits raised so load is not refused.
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createThrowawayDatabase, startPostgresServer } from '../../scripts/databases.mjs'
import { migrateDatabase } from '../../scripts/migrate.mjs'
import { startWorker, stopProcessGroup, waitForHttp } from '../../scripts/worker.mjs'
import { findWorkerSocket } from './worker-socket.mjs'

const BENCH_BUILD_CONFIG = '.output-bench/server/wrangler.json'
// Next to the built config, because wrangler resolves `main` and the assets folder from the config's folder.
const BENCH_WORKER_CONFIG = '.output-bench/server/wrangler.bench.json'
const UNLIMITED = 1_000_000

function writeBenchConfig() {
  if (!existsSync(BENCH_BUILD_CONFIG)) throw new Error(`${BENCH_BUILD_CONFIG} is missing: run \`npm run build:bench\` first`)
  const config = JSON.parse(readFileSync(BENCH_BUILD_CONFIG, 'utf8'))
  config.ratelimits = (config.ratelimits ?? []).map(limiter => ({ ...limiter, simple: { ...limiter.simple, limit: UNLIMITED } }))
  writeFileSync(BENCH_WORKER_CONFIG, JSON.stringify(config, null, 2))
}

async function assertPortFree(baseURL) {
  const answered = await fetch(baseURL).then(() => true, () => false)
  if (answered) throw new Error(`${baseURL} already answers: stop whatever runs there (an earlier bench?) or set BENCH_PORT`)
}

/** `vars` are extra worker vars (the history comparison runs a second worker with PROFILE_IMAGE_KEEP_VERSIONS=0). */
export async function startBenchServer({ port, vars = {} }) {
  const baseURL = `http://localhost:${port}`
  await assertPortFree(baseURL)
  // BENCH_POSTGRES_URL's server when given, else an embedded PostgreSQL of the run's own.
  const postgres = await startPostgresServer(process.env.BENCH_POSTGRES_URL)
  const database = await createThrowawayDatabase('gallery_bench', postgres.url).catch(async (error) => {
    await postgres.stop()
    throw error
  })
  const persistTo = mkdtempSync(join(tmpdir(), 'gallery-bench-'))
  const logFile = join(persistTo, 'worker.log')
  let worker
  let workerURL
  const stop = async () => {
    if (worker) {
      stopProcessGroup(worker)
      if (worker.exitCode === null && worker.signalCode === null) await new Promise(resolve => worker.once('exit', resolve))
    }
    rmSync(persistTo, { recursive: true, force: true })
    rmSync(BENCH_WORKER_CONFIG, { force: true })
    await database.drop()
    await postgres.stop()
  }
  try {
    await migrateDatabase(database.url)
    writeBenchConfig()
    worker = await startWorker({
      port,
      databaseUrl: database.url,
      persistTo,
      config: BENCH_WORKER_CONFIG,
      logLevel: 'warn', // one log line per request would measure wrangler's logging
      stdio: ['ignore', 'pipe', 'pipe'],
      vars: { BETTER_AUTH_SECRET: randomBytes(32).toString('hex'), GALLERY_BENCH: '1', RATE_LIMIT_OVERRIDE: String(UNLIMITED), ...vars },
    })
    // Two sources into one file: neither may end it, or a late write to the other throws.
    const log = createWriteStream(logFile)
    worker.stdout.pipe(log, { end: false })
    worker.stderr.pipe(log, { end: false })
    worker.once('close', () => log.end())
    await waitForHttp(`${baseURL}/api/health`)
    // Only this run's worker has the bench routes on.
    if ((await fetch(`${baseURL}/__bench/stats`)).status !== 200) throw new Error(`${baseURL} is not the benchmark's worker`)
    workerURL = await findWorkerSocket({ rootPid: worker.pid, skipPorts: [port] })
  }
  catch (error) {
    console.error(existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '')
    await stop()
    throw error
  }
  // workerURL: the Worker's own socket, behind wrangler dev's proxy (null where it was not found).
  return { baseURL, workerURL, storageEndpoint: worker.storageEndpoint, databaseUrl: database.url, stop }
}

/** The benchmark worker's running totals (bench/server/counters.ts): requests, body bytes, statements, audit events. */
export const workerTotals = async baseURL => (await fetch(`${baseURL}/__bench/stats`)).json()

/**
 * Waits until the audit queue's consumer has received every event the Worker's requests sent: a load run leaves events
 * queued, and their inserts would otherwise share the Worker's thread with the next measurement.
 * Returns how long that took (ms).
 */
export async function waitForAuditQueue(baseURL, timeoutMs = 600_000) {
  const started = Date.now()
  for (;;) {
    const { auditSent, auditEvents } = await workerTotals(baseURL)
    if (auditEvents >= auditSent) return Date.now() - started
    if (Date.now() - started > timeoutMs) throw new Error(`the audit queue still holds ${auditSent - auditEvents} events after ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}
