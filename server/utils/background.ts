import type { H3Event } from 'h3'

/**
 * Work that must finish but must not delay the response (audit writes). The request's database connection is
 * only closed once all of it has settled (server/plugins/db.ts).
 */
export function afterResponse(event: H3Event, work: Promise<unknown>): void {
  const pending: Promise<unknown>[] = (event.context.backgroundWork ??= [])
  pending.push(work)
  event.waitUntil(work)
}

export function backgroundWorkOf(event: H3Event): Promise<unknown> {
  return Promise.allSettled(event.context.backgroundWork ?? [])
}
