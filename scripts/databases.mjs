// Throwaway Postgres servers and databases, for the test runners and the benchmark.
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort, startEmbeddedDatabase } from './embedded-db.mjs'

async function adminQuery(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(sql)
  }
  finally {
    await client.end()
  }
}

/**
 * The server to create throwaway databases on: `serverUrl` when one is given (any database on it), else an embedded
 * PostgreSQL on a free port in a temporary directory that `stop()` shuts down and removes.
 */
export async function startPostgresServer(serverUrl) {
  if (serverUrl) return { url: serverUrl, embedded: false, stop: async () => {} }
  const dataDir = mkdtempSync(join(tmpdir(), 'gallery-postgres-'))
  chmodSync(dataDir, 0o755) // as root, the server runs as user postgres and must reach its data directory
  try {
    const server = await startEmbeddedDatabase({ dataDir: join(dataDir, 'data'), port: await freePort() })
    return {
      url: server.url,
      embedded: true,
      async stop() {
        await server.stop()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}

/** Creates `<prefix>_<time>_<random>` on the server at `serverUrl`; `drop()` removes it again. */
export async function createThrowawayDatabase(prefix, serverUrl) {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) }
}
