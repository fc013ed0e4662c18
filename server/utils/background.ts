import type { H3Event } from 'h3'

type Work = () => Promise<unknown>

/**
 * Work that must finish but must not delay the response (the audit queue send): it starts once the response is out
 * (server/plugins/db.ts), so its SQL is never on the request's critical path, and the request's database
 * connection is closed after it.
 */
export function afterResponse(event: H3Event, work: Work): void {
  const deferred: Work[] = (event.context.deferredWork ??= [])
  deferred.push(work)
}

/** Starts the deferred work (once) and settles when all of it has. */
export function runDeferredWork(event: H3Event): Promise<unknown> | undefined {
  const deferred: Work[] | undefined = event.context.deferredWork
  if (!deferred?.length) return
  event.context.deferredWork = []
  // async: one job that throws at once must not keep the others from starting.
  return Promise.allSettled(deferred.map(async work => work()))
}
