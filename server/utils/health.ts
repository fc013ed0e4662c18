import type { H3Event } from 'h3'
import { sql } from 'drizzle-orm'

export interface ProbeResult { ok: boolean, latencyMs: number, error?: string }

export async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([check(), timeout])
    return { ok: true, latencyMs: Date.now() - started }
  }
  catch (error) {
    // Only the error class goes out: driver messages can carry hostnames or user names.
    const name = error instanceof Error ? error.name : 'Error'
    return { ok: false, latencyMs: Date.now() - started, error: name === 'Error' ? 'unreachable' : name }
  }
  finally {
    clearTimeout(timer)
  }
}

export interface HealthReport { status: 'ok' | 'unavailable', database: ProbeResult, storage: ProbeResult }

/** One live probe of each dependency: a database round trip and a storage HEAD. */
export async function checkHealth(event: H3Event): Promise<HealthReport> {
  const [database, storage] = await Promise.all([
    probe(() => useDB(event).execute(sql`select 1`), healthConfig.probeTimeoutMs),
    probe(() => useEnv(event).GALLERY.head('health-probe'), healthConfig.probeTimeoutMs),
  ])
  return { status: database.ok && storage.ok ? 'ok' : 'unavailable', database, storage }
}

// Plain data, per isolate: a result (never a connection or a promise) may outlive the request that made it.
let recent: { report: HealthReport, until: number } | undefined

/** The last probe's result while it is younger than healthConfig.cacheSeconds, else a new probe. */
export async function recentHealth(event: H3Event): Promise<HealthReport> {
  if (recent && recent.until > Date.now()) return recent.report
  const report = await checkHealth(event)
  recent = { report, until: Date.now() + healthConfig.cacheSeconds * 1000 }
  return report
}

const LOOPBACK = new Set(['127.0.0.1', '::1'])

/** Cloudflare sets cf-connecting-ip to the client's address, never a loopback one; wrangler dev sets 127.0.0.1. */
export function isLocalCaller(event: H3Event): boolean {
  const client = getRequestHeader(event, 'cf-connecting-ip')
  return !client || LOOPBACK.has(client)
}
