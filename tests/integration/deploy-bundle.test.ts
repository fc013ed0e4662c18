import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_WORKER_CONFIG, offlineEnv } from '../../scripts/worker.mjs'

// What `npm run deploy` would upload (`wrangler deploy --dry-run` on the build): the benchmark's routes, plugin and
// counters (the bench/ layer, extended only by `npm run build:bench`) must not be in it; the app's only trace of the
// benchmark is the `gallery:instrument` hook it calls with no listener (server/types/hooks.d.ts).
const outdir = mkdtempSync(join(tmpdir(), 'gallery-deploy-bundle-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

describe('the deployed Worker bundle', () => {
  it('has the app routes and none of the benchmark code', () => {
    const run = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', outdir, '-c', BUILT_WORKER_CONFIG], { encoding: 'utf8', env: offlineEnv() })
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
    const bundle = readdirSync(outdir).filter(name => name.endsWith('.js') || name.endsWith('.mjs'))
      .map(name => readFileSync(join(outdir, name), 'utf8')).join('\n')
    // The grep below means something only if the bundle holds the app's own routes.
    expect(bundle).toContain('/api/uploads/pre-signed-url')
    for (const benchOnly of ['/__bench/sign', '/__bench/stats', '/__bench/db', 'x-bench-sql-statements', 'x-bench-storage-calls', 'bench/bare-signing-route', 'GALLERY_BENCH', 'consumerStatements']) {
      expect(bundle, benchOnly).not.toContain(benchOnly)
    }
  }, 180_000)
})
