import type { H3Event } from 'h3'

export interface PresignEventEntry {
  userId: string
  action: 'put' | 'get' | 'delete'
  key: string
  contentType?: string | null
  size?: number | null
}

/** Records a URL issued or an object deleted: one JSON log line now, one audit row after the response. */
export function recordPresignEvent(event: H3Event, entry: PresignEventEntry): void {
  const row = {
    ...entry,
    clientIp: getRequestHeader(event, 'cf-connecting-ip') ?? null,
    userAgent: getRequestHeader(event, 'user-agent')?.slice(0, auditConfig.maxUserAgentLength) ?? null,
  }
  console.log(JSON.stringify({ event: 'presign', action: entry.action, userId: entry.userId, key: entry.key, contentType: entry.contentType ?? null, size: entry.size ?? null }))
  afterResponse(event, () => useDB(event).insert(tables.presignEvent).values(row).catch((error: unknown) => {
    console.error(JSON.stringify({ event: 'presign.audit_failed', action: entry.action, key: entry.key, error: error instanceof Error ? error.name : 'Error' }))
  }))
}
