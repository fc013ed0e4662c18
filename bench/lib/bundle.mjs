// Worker bundle size as `wrangler deploy --dry-run --outdir` writes it: every file it would upload (source maps
// and its README excluded), raw and gzip, plus wrangler's own "Total Upload" line.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { BUILT_WORKER_CONFIG, offlineEnv } from '../../scripts/worker.mjs'

export function measureBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'gallery-dry-run-'))
  try {
    const run = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', outdir, '-c', BUILT_WORKER_CONFIG], { encoding: 'utf8', env: offlineEnv() })
    if (run.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`)
    const files = readdirSync(outdir).filter(name => !name.endsWith('.map') && name !== 'README.md')
    let rawBytes = 0
    let gzipBytes = 0
    for (const name of files) {
      const content = readFileSync(join(outdir, name))
      rawBytes += statSync(join(outdir, name)).size
      gzipBytes += gzipSync(content, { level: 9 }).length
    }
    const wranglerLine = /Total Upload: .*/.exec(run.stdout)?.[0] ?? null
    return { files, rawBytes, gzipBytes, wranglerReports: wranglerLine, targetGzipBytes: 1024 * 1024, withinTarget: gzipBytes <= 1024 * 1024 }
  }
  finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}
