import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeWranglerConfig } from '../../server/worker-config'

// server/types/worker-env.d.ts is `wrangler types` output for the whole Worker config (wrangler.jsonc plus
// server/worker-config.ts). `npm run types:worker` (UPDATE_WORKER_TYPES=1) rewrites it; otherwise a stale file fails.
const COMMITTED = 'server/types/worker-env.d.ts'
const dir = mkdtempSync(join(tmpdir(), 'gallery-worker-env-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the Worker env type', () => {
  it('is what `wrangler types` makes of the current config', () => {
    writeWranglerConfig(join(dir, 'wrangler.json'))
    // Relative paths from a fixed folder name keep the generated header the same wherever it runs.
    const run = spawnSync(resolve('node_modules/.bin/wrangler'), ['types', '-c', 'wrangler.json', '--include-runtime=false', '--env-interface', 'WorkerEnv', 'worker-env.d.ts'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    const generated = readFileSync(join(dir, 'worker-env.d.ts'), 'utf8')
    if (process.env.UPDATE_WORKER_TYPES === '1') writeFileSync(COMMITTED, generated)
    expect(readFileSync(COMMITTED, 'utf8'), 'stale: run `npm run types:worker`').toBe(generated)
  }, 60_000)
})
