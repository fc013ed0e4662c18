import { describe, expect, it } from 'vitest'
import { summariseActivity, type ActivityRow } from '../../server/utils/activity'

const PROFILE = 'profile-key'
const MINUTE = 60_000
const t0 = Date.parse('2026-11-30T12:00:00Z')
const row = (minute: number, action: ActivityRow['action'], key: string, extra: Partial<ActivityRow> = {}): ActivityRow =>
  ({ action, key, filename: key === PROFILE ? 'me.png' : `${key}.name`, size: 10, createdAt: new Date(t0 + minute * MINUTE), profile: key === PROFILE, earlierProfileImage: key.startsWith(`${PROFILE}/v/`), uploadStatus: null, ...extra })
/** Audit rows come newest first, as the route reads them. */
const summarise = (rows: ActivityRow[], limit = 20) =>
  summariseActivity([...rows].reverse(), { freshForMs: 60 * MINUTE, limit })

describe('summariseActivity', () => {
  it('collapses consecutive identical events and counts them, newest first', () => {
    const entries = summarise([row(0, 'put', 'a'), row(1, 'get', 'a'), row(2, 'get', 'a'), row(3, 'get', 'a'), row(4, 'get', 'b'), row(5, 'get', 'a')])
    expect(entries.map(entry => [entry.action, entry.key, entry.count])).toEqual([
      ['get', 'a', 1], ['get', 'b', 1], ['get', 'a', 3], ['put', 'a', 1],
    ])
    expect(entries[2]).toMatchObject({ subject: 'file', filename: 'a.name', createdAt: new Date(t0 + 3 * MINUTE).toISOString() })
  })

  it('shows a profile image view once while its link is still fresh, then again once it has expired', () => {
    const entries = summarise([row(0, 'put', PROFILE), row(1, 'get', PROFILE), row(20, 'get', PROFILE), row(59, 'get', PROFILE), row(62, 'get', PROFILE)])
    expect(entries.map(entry => [entry.action, entry.subject, entry.createdAt])).toEqual([
      ['get', 'profile', new Date(t0 + 62 * MINUTE).toISOString()],
      ['put', 'profile', new Date(t0).toISOString()],
    ])
    expect(entries[0]!.count).toBe(2)
  })

  it('marks an upload that never reached storage as unfinished', () => {
    const entries = summarise([row(0, 'put', 'a', { uploadStatus: 'pending' }), row(1, 'put', 'b', { uploadStatus: 'committed' })])
    expect(entries.map(entry => [entry.key, entry.unfinished])).toEqual([['b', false], ['a', true]])
  })

  it('returns at most `limit` entries', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i, 'get', `k${i}`))
    expect(summarise(rows, 5).map(entry => entry.key)).toEqual(['k29', 'k28', 'k27', 'k26', 'k25'])
  })
})
