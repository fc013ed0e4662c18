// Throwaway Postgres databases on a local server, for the test runners and the benchmark.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

// Hyperdrive's local mode insists on a password in the URL; trust auth ignores it.
export const LOCAL_POSTGRES = 'postgres://postgres:postgres@127.0.0.1:5432/postgres'

async function adminQuery(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try { await client.query(sql) }
  finally { await client.end() }
}

/** Creates `<prefix>_<time>_<random>` on the server at `serverUrl`; `drop()` removes it again. */
export async function createThrowawayDatabase(prefix, serverUrl = LOCAL_POSTGRES) {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) }
}
