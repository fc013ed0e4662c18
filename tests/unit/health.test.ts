import { describe, expect, it } from 'vitest'
import { probe } from '../../server/utils/health'

describe('probe', () => {
  it('reports success with a latency', async () => {
    const result = await probe(async () => 'pong', 1000)
    expect(result.ok).toBe(true)
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('reports a failing check without leaking its message', async () => {
    const result = await probe(async () => {
      throw new Error('password authentication failed for user "admin"')
    }, 1000)
    expect(result).toMatchObject({ ok: false, error: 'unreachable' })
    expect(JSON.stringify(result)).not.toContain('admin')
  })

  it('gives up on a check that never answers', async () => {
    const result = await probe(() => new Promise(() => {}), 50)
    expect(result.ok).toBe(false)
    expect(result.latencyMs).toBeGreaterThanOrEqual(45)
  })
})
