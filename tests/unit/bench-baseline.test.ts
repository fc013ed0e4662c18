import { describe, expect, it } from 'vitest'
import { compareWithBareRuns, loadTargets } from '../../bench/lib/report.mjs'

const run = (endpoint: string, connections: number, requestsPerSecond: number, p99Ms: number, bare = false) =>
  ({ endpoint, connections, requestsPerSecond, p99Ms, non2xx: 0, errors: 0, ...(bare ? { bare: true } : {}) })
const BARE = 'GET /__bench/sign (bare)'
type LoadRow = ReturnType<typeof run> & { bare?: boolean, bareRequestsPerSecond: number, bareP99Ms: number, ratioToBare: number }

describe('bench load rows against the bare runs around them', () => {
  const rows: LoadRow[] = compareWithBareRuns([
    run(BARE, 10, 200, 40, true),
    run('bare + session', 10, 150, 60),
    run(BARE, 10, 100, 80, true),
    run('POST /api/user/profile/image', 10, 60, 170),
    run(BARE, 10, 120, 100, true),
    run('GET /api/user/profile/image', 10, 50, 250),
    run(BARE, 50, 300, 200, true),
    run('POST /api/user/profile/image', 50, 140, 390),
  ])
  const row = (endpoint: string, connections: number) => rows.find(other => other.endpoint === endpoint && other.connections === connections)!

  it('compares a route with the mean of the bare runs just before and after it, at its own connection count', () => {
    expect(row('bare + session', 10)).toMatchObject({ bareRequestsPerSecond: 150, bareP99Ms: 60, ratioToBare: 1 })
    expect(row('POST /api/user/profile/image', 10)).toMatchObject({ bareRequestsPerSecond: 110, bareP99Ms: 90, ratioToBare: 0.55 })
    // Last at 10 connections: only the bare run before it; at 50 only that count's bare run.
    expect(row('GET /api/user/profile/image', 10)).toMatchObject({ bareRequestsPerSecond: 120, bareP99Ms: 100 })
    expect(row('POST /api/user/profile/image', 50)).toMatchObject({ bareRequestsPerSecond: 300, bareP99Ms: 200, ratioToBare: 0.47 })
  })

  it('shows each bare run against the mean of all of them at that connection count', () => {
    expect(rows.filter(other => other.bare && other.connections === 10).map(other => other.ratioToBare)).toEqual([1.43, 0.71, 0.86])
  })

  it('enforces the targets against those bare runs, not the first one', () => {
    const met = (target: string) => loadTargets(rows, 10).find(other => other.target.startsWith(target))?.met
    expect(met('POST /api/user/profile/image at 10 connections: ≥ 0.5×')).toBe(true) // 60 vs 110, though 0.3× of the first
    expect(met('POST /api/user/profile/image at 10 connections: p99')).toBe(true) // 170 ≤ 2 × 90, though > 2 × 40
    expect(met('GET /api/user/profile/image at 10 connections: ≥ 0.5×')).toBe(false) // 50 vs 120
    expect(met('GET /api/user/profile/image at 10 connections: p99')).toBe(false) // 250 > 2 × 100
    expect(met('POST /api/user/profile/image at 50 connections: ≥ 0.5×')).toBe(false)
  })
})
