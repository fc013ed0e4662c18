import type { H3Event } from 'h3'

export interface PresignEventEntry {
  userId: string
  action: 'put' | 'get' | 'delete'
  key: string
  filename?: string | null
  /** Part of something already recorded or only for the page to show (a thumbnail, a batch of part URLs): audited, not the person's activity. */
  incidental?: boolean
  contentType?: string | null
  size?: number | null
}

/** One audit event on the queue: what presign_event stores, with its id and time from the producer. Never a URL or a secret. */
export interface AuditMessage {
  id: string
  userId: string
  action: PresignEventEntry['action']
  key: string
  /** Optional: messages queued before the column existed carry none. */
  filename?: string | null
  /** Optional: messages queued before the column existed carry none. */
  incidental?: boolean
  contentType: string | null
  size: number | null
  clientIp: string | null
  userAgent: string | null
  at: string
}

/**
 * Records a URL issued or an object deleted: one message on the audit queue, sent after the response. The consumer
 * (server/utils/audit-queue.ts) writes it, so no request waits on or opens a database connection for its audit row.
 */
export function recordPresignEvent(event: H3Event, entry: PresignEventEntry): void {
  const message: AuditMessage = {
    id: crypto.randomUUID(),
    userId: entry.userId,
    action: entry.action,
    key: entry.key,
    filename: entry.filename ?? null,
    incidental: entry.incidental ?? false,
    contentType: entry.contentType ?? null,
    size: entry.size ?? null,
    clientIp: getRequestHeader(event, 'cf-connecting-ip') ?? null,
    userAgent: getRequestHeader(event, 'user-agent')?.slice(0, auditConfig.maxUserAgentLength) ?? null,
    at: new Date().toISOString(),
  }
  enqueueAuditMessage(event, message)
}

/** How long the request that opens a batch waits for concurrent requests' messages before sending it. */
const AUDIT_GATHER_MS = 20
/** Messages per send: a queue takes at most 100 in one sendBatch. */
const AUDIT_BATCH_MAX = 100

let openBatch: AuditMessage[] | undefined

/**
 * Messages of concurrent requests go to the queue in one send instead of one each. The request that opens a batch
 * sends it after its response; the others only add to it, since workerd cancels a request awaiting another's I/O.
 */
function enqueueAuditMessage(event: H3Event, message: AuditMessage): void {
  if (openBatch && openBatch.length < AUDIT_BATCH_MAX) {
    openBatch.push(message)
    return
  }
  const batch = [message]
  openBatch = batch
  const queue = useEnv(event).AUDIT_QUEUE
  afterResponse(event, async () => {
    await new Promise(resolve => setTimeout(resolve, AUDIT_GATHER_MS))
    if (openBatch === batch) openBatch = undefined
    await queue.sendBatch(batch.map(body => ({ body, contentType: 'json' as const }))).then(
      () => batch.forEach(() => instrument({ kind: 'audit-sent' })),
      (error: unknown) => batch.forEach(sent => console.error(JSON.stringify({
        event: 'audit.send_failed', action: sent.action, eventId: sent.id, error: error instanceof Error ? error.name : 'Error',
      }))),
    )
  })
}
