import type { H3Event } from 'h3'
import { createError, getRequestHeader } from 'h3'

// Instrumentation for `npm run bench`, compiled only into the benchmark's build (the bench/ layer, extended when
// GALLERY_BENCH_BUILD=1) and on only when that worker runs with GALLERY_BENCH=1. Counters live in the isolate:
// `wrangler dev` runs one, so they cover every request.

const totals = { requests: 0, jsonBodyBytes: 0, otherBodyBytes: 0, bodiesWithoutLength: 0, sqlStatements: 0, auditSent: 0, auditEvents: 0, consumerStatements: 0 }
const statementsByRequest = new WeakMap<H3Event, number>()
const storageCallsByRequest = new WeakMap<H3Event, number>()

export function benchEnabled(event: H3Event): boolean {
  return (event.context.cloudflare?.env as { GALLERY_BENCH?: string } | undefined)?.GALLERY_BENCH === '1'
}

/** Bench routes answer nothing unless the worker runs for a benchmark. */
export function requireBench(event: H3Event): void {
  if (!benchEnabled(event)) throw createError({ statusCode: 404, message: 'Not found' })
}

/** Every statement a request sends (the app's `gallery:instrument` hook). */
export function countStatement(event: H3Event): void {
  statementsByRequest.set(event, statementsSent(event) + 1)
  totals.sqlStatements++
}

/** Audit events the Worker's requests put on the queue. */
export function countAuditSent(): void {
  totals.auditSent++
}

/** The audit queue's consumer: events it received (redeliveries included) and the statements it sent for them. */
export function countAuditEvents(count: number): void {
  totals.auditEvents += count
}

export function countConsumerStatement(): void {
  totals.consumerStatements++
}

export function statementsSent(event: H3Event): number {
  return statementsByRequest.get(event) ?? 0
}

/** Calls a request makes to the storage binding that reach storage (head, get, put, delete, list, multipart create). */
export function countStorageCall(event: H3Event): void {
  storageCallsByRequest.set(event, storageCallsMade(event) + 1)
}

export function storageCallsMade(event: H3Event): number {
  return storageCallsByRequest.get(event) ?? 0
}

/** Request body bytes as the Worker receives them (declared length; a body without one is counted apart). */
export function countRequest(event: H3Event): void {
  totals.requests++
  const length = getRequestHeader(event, 'content-length')
  const chunked = getRequestHeader(event, 'transfer-encoding')?.includes('chunked')
  if (chunked || (length === undefined && !['GET', 'HEAD'].includes(event.method))) totals.bodiesWithoutLength++
  const bytes = Number(length ?? 0)
  if (getRequestHeader(event, 'content-type')?.startsWith('application/json')) totals.jsonBodyBytes += bytes
  else totals.otherBodyBytes += bytes
}

export function benchTotals() {
  return { ...totals }
}
