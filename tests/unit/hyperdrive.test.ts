import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hyperdriveArgs, maskPassword } from '../../scripts/hyperdrive.mjs'

const script = fileURLToPath(new URL('../../scripts/hyperdrive.mjs', import.meta.url))
const FAKE_URL = 'postgres://gallery:s3cr%40t-Pa55@db.example.com:5432/gallery?sslmode=require'

// Always with --print: a test must never reach Cloudflare.
function printCommand(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script, '--print'], { env, encoding: 'utf8' })
}

function withoutDatabaseUrl() {
  const { DATABASE_URL: _, ...env } = process.env
  return env
}

describe('npm run db:hyperdrive', () => {
  it('creates the config with the query cache off', () => {
    expect(hyperdriveArgs(FAKE_URL)).toEqual(['hyperdrive', 'create', 'gallery-db', `--connection-string=${FAKE_URL}`, '--caching-disabled'])
  })

  it('prints the command with --caching-disabled and the password masked', () => {
    const run = printCommand({ ...withoutDatabaseUrl(), DATABASE_URL: FAKE_URL })
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe(
      'wrangler hyperdrive create gallery-db \'--connection-string=postgres://gallery:****@db.example.com:5432/gallery?sslmode=require\' --caching-disabled',
    )
    expect(run.stdout + run.stderr).not.toContain('s3cr')
  })

  it('masks a password given as a query parameter too', () => {
    expect(maskPassword('postgresql://db.example.com/gallery?user=gallery&password=hunter2')).not.toContain('hunter2')
  })

  it('refuses in one line without DATABASE_URL', () => {
    const run = printCommand(withoutDatabaseUrl())
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('DATABASE_URL')
  })

  it('refuses a value that is not a postgres URL without echoing it', () => {
    const run = printCommand({ ...withoutDatabaseUrl(), DATABASE_URL: 'host=db password=hunter2' })
    expect(run.status).toBe(1)
    expect(run.stdout + run.stderr).not.toContain('hunter2')
  })

  it('is the npm script the deploy guide\'s step runs', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts['db:hyperdrive']).toBe('node scripts/hyperdrive.mjs')
    const readme = readFileSync('docs/deploy.md', 'utf8')
    const deploy = readme.slice(readme.indexOf('## Steps'), readme.indexOf('\n## ', readme.indexOf('## Steps')))
    const step = /^4\. \*\*Hyperdrive\*\*[\s\S]*?(?=^5\. )/m.exec(deploy)?.[0]
    expect(step).toContain('npm run db:hyperdrive')
    expect(step).toContain('--caching-disabled')
    for (const line of readme.split('\n').filter(line => line.includes('hyperdrive create'))) {
      expect(line).toContain('--caching-disabled')
    }
  })
})
