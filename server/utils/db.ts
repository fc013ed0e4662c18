import type { H3Event } from 'h3'
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import * as schema from '../../drizzle/schema'

export const tables = schema
export type Database = NodePgDatabase<typeof schema>

const CONNECT_TIMEOUT_MS = 5000

/**
 * One pg client per request: Workers cannot share sockets across requests, so a module-scope pool breaks.
 * Queries issued before the connection is up are queued by pg; a failed connect rejects them.
 */
export function useDB(event: H3Event): Database {
  if (event.context.db) return event.context.db
  const client = new pg.Client({
    connectionString: useEnv(event).HYPERDRIVE.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  })
  client.connect().catch(() => {}) // the same error reaches whoever awaits the first query
  client.on('error', () => {}) // a dropped socket after the response must not crash the isolate
  event.context.dbClient = client
  event.context.db = drizzle(client, { schema })
  return event.context.db
}

export function releaseDB(event: H3Event): Promise<void> | undefined {
  const client = event.context.dbClient as pg.Client | undefined
  if (!client) return
  event.context.dbClient = undefined
  event.context.db = undefined
  return client.end().catch(() => {})
}
