import type { Message, MessageBatch } from '@cloudflare/workers-types'
import { sql } from 'drizzle-orm'
import { auditDeadLetter, presignEvent } from '../../drizzle/schema'
import type { AuditMessage } from './audit'
import type { Database } from './db'
import type { GalleryEnv } from './env'

// Its own name in pg_stat_activity: the consumer's connections are not a request's.
const AUDIT_CONSUMER = 'gallery-audit-consumer'

/**
 * One insert for a batch, its rows as one JSON parameter (PostgreSQL expands it), instead of eleven bound values per
 * row that the Worker's thread would build and encode. A message already written (a redelivered batch) adds nothing.
 * Rows go in event order, so ids follow it too. (Schema imported directly: the integration test runs this against its
 * database.)
 */
export function insertAuditEvents(db: Database, messages: AuditMessage[]) {
  const rows = messages.map(message => ({
    event_id: message.id,
    user_id: message.userId,
    action: message.action,
    key: message.key,
    filename: message.filename ?? null,
    incidental: message.incidental ?? false,
    content_type: message.contentType,
    size: message.size,
    client_ip: message.clientIp,
    user_agent: message.userAgent,
    created_at: message.at,
  }))
  return db.execute(sql`
    insert into ${presignEvent} (event_id, user_id, action, key, filename, incidental, content_type, size, client_ip, user_agent, created_at)
    select event_id, user_id, action, key, filename, incidental, content_type, size, client_ip, user_agent, created_at
    from json_to_recordset(${JSON.stringify(rows)}::json) as event(event_id uuid, user_id text, action text, key text,
      filename text, incidental boolean, content_type text, size bigint, client_ip text, user_agent text, created_at timestamptz)
    order by created_at, event_id
    on conflict (event_id) do nothing`)
}

/** The SQLSTATE anywhere in an error's cause chain (Drizzle wraps the driver's error). */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 10; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
}

/** Data exceptions (22) and integrity violations (23, e.g. the user was deleted meanwhile) fail the same way every time. */
const isPermanent = (code: string | undefined) => !!code && (code.startsWith('22') || code.startsWith('23'))

const logFailure = (what: string, messages: number, error: unknown) => console.error(JSON.stringify({
  event: what, messages, code: sqlState(error) ?? null, error: error instanceof Error ? error.name : 'Error',
}))

/** The `gallery-audit` consumer: writes the batch, retries it later while the database is unreachable. */
export async function consumeAuditBatch(batch: MessageBatch<AuditMessage>, env: GalleryEnv): Promise<void> {
  instrument({ kind: 'audit-received', count: batch.messages.length })
  const { db, close } = openDB(env.HYPERDRIVE.connectionString, { onStatement: () => instrument({ kind: 'sql' }), applicationName: AUDIT_CONSUMER })
  try {
    await insertAuditEvents(db, batch.messages.map(message => message.body))
    batch.ackAll()
  }
  catch (error) {
    if (causedByUnavailableDatabase(error)) {
      logFailure('audit.batch_retried', batch.messages.length, error)
      const attempts = Math.max(...batch.messages.map(message => message.attempts))
      batch.retryAll({ delaySeconds: auditConfig.retryDelaySeconds(attempts) })
      return
    }
    // One message that cannot be written must not hold back the rest of its batch: write them one by one.
    for (const message of batch.messages) await writeOne(db, env, message)
  }
  finally {
    await close()
  }
}

async function writeOne(db: Database, env: GalleryEnv, message: Message<AuditMessage>): Promise<void> {
  try {
    await insertAuditEvents(db, [message.body])
    message.ack()
  }
  catch (error) {
    if (causedByUnavailableDatabase(error)) return message.retry({ delaySeconds: auditConfig.retryDelaySeconds(message.attempts) })
    logFailure('audit.message_failed', 1, error)
    if (!isPermanent(sqlState(error))) return message.retry()
    // Retrying cannot help: straight to the dead-letter queue (if that send fails, the retries get it there).
    await env.AUDIT_DLQ.send(message.body, { contentType: 'json' }).then(() => message.ack(), () => message.retry())
  }
}

/** The `gallery-audit-dlq` consumer: keeps every dead-lettered message in audit_dead_letter for inspection and replay. */
export async function recordDeadLetters(batch: MessageBatch<AuditMessage>, env: GalleryEnv): Promise<void> {
  const { db, close } = openDB(env.HYPERDRIVE.connectionString, { applicationName: AUDIT_CONSUMER })
  try {
    await db.insert(auditDeadLetter)
      .values(batch.messages.map(message => ({ eventId: message.body.id, body: message.body, attempts: message.attempts })))
      .onConflictDoNothing()
    batch.ackAll()
    console.error(JSON.stringify({ event: 'audit.dead_lettered', messages: batch.messages.length }))
  }
  catch (error) {
    logFailure('audit.dead_letter_retried', batch.messages.length, error)
    batch.retryAll({ delaySeconds: auditConfig.deadLetterRetryDelaySeconds })
  }
  finally {
    await close()
  }
}
