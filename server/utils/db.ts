import type { H3Event } from 'h3'
import pg from 'pg'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import * as schema from '../../drizzle/schema'

export const tables = schema
export type Database = NodePgDatabase<typeof schema>

const CONNECT_TIMEOUT_MS = 5000
/** A stalled (not reset) connection must not hang a request until the runtime kills it. */
const QUERY_TIMEOUT_MS = 10_000
const CLOSE_TIMEOUT_MS = 2000

/**
 * A single pg client: Workers cannot share sockets across requests, so a module-scope pool breaks.
 * It connects on the first query (a request answered from the session cookie cache opens no connection); every query
 * waits for that connection (pg would leave queries queued behind a failed connect hanging forever), and connection
 * failures surface as 503 everywhere (routes, Better Auth).
 */
export function openDB(connectionString: string, hooks: { onStatement?: () => void, onUnavailable?: (error: unknown) => void, applicationName?: string } = {}): { db: Database, close: () => Promise<void> } {
  const application_name = hooks.applicationName ?? 'gallery-worker'
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, application_name })
  let connected: Promise<unknown> | undefined
  client.on('error', () => {}) // a dropped socket after the response must not crash the isolate
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
  client.query = ((...args: unknown[]) => {
    hooks.onStatement?.()
    connected ??= client.connect()
    return connected.then(() => query(...args)).catch((error: unknown) => {
      if (!isDatabaseUnavailable(error)) throw error
      hooks.onUnavailable?.(error)
      throw databaseUnavailableError(error)
    })
  }) as typeof client.query
  const close = async () => {
    if (!connected) return
    await Promise.race([
      client.end().catch(() => {}),
      new Promise<void>(resolve => setTimeout(resolve, CLOSE_TIMEOUT_MS)),
    ])
  }
  return { db: drizzle(client, { schema }), close }
}

const databaseLost = new WeakMap<H3Event, unknown>()

/** The error by which the request's database went away, if it did. */
export function databaseLostDuring(event: H3Event): unknown {
  return databaseLost.get(event)
}

/** The request's database, created on first use (it connects on its first query), closed after the response (server/plugins/db.ts). */
export function useDB(event: H3Event): Database {
  if (!event.context.db) {
    const { db, close } = openDB(useEnv(event).HYPERDRIVE.connectionString, {
      onStatement: () => instrument({ kind: 'sql', event }),
      onUnavailable: error => databaseLost.set(event, error),
    })
    event.context.db = db
    event.context.closeDB = close
  }
  return event.context.db
}

/** Runs the request's deferred work (the audit queue send), then closes its connection, if it opened one. */
export function releaseDB(event: H3Event): Promise<void> | undefined {
  const deferred = runDeferredWork(event)
  if (!deferred && !event.context.closeDB) return
  return (async () => {
    await deferred
    const close = event.context.closeDB
    event.context.closeDB = undefined
    await close?.()
  })()
}
