import { describe, expect, it } from 'vitest'
import { api, signUp } from '../support/api'

// The benchmark's instrumentation (server/utils/bench.ts) exists only when the worker runs with GALLERY_BENCH=1,
// which only `npm run bench` sets; this worker runs as production would.
describe('benchmark instrumentation outside a benchmark', () => {
  it('answers 404 on the bench routes and sends no statement counts', async () => {
    for (const path of ['/__bench/sign', '/__bench/stats', '/__bench/db']) {
      const response = await api(path)
      expect(response.status, path).toBe(404)
      expect(JSON.stringify(await response.json())).not.toMatch(/X-Amz|presignedUrl|sqlStatements/)
    }
    const user = await signUp('Not Benchmarked')
    const response = await api('/api/user/profile', { cookie: user.cookie })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-bench-sql-statements')).toBeNull()
  })
})
