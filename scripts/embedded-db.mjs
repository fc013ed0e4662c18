// The embedded default database: PGlite (Postgres in WASM) served over the Postgres wire protocol,
// so the Worker's `pg` client talks to it exactly as it talks to a real server.
// Never open one data dir from two processes: PGlite has no lock and writes would be lost.
import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export const EMBEDDED_DB_PORT = 54329

export async function startEmbeddedDatabase({ dataDir, port = EMBEDDED_DB_PORT }) {
  mkdirSync(dataDir, { recursive: true })
  const db = await PGlite.create(dataDir)
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 16 })
  await server.start()
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
