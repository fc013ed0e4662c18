import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { EmbeddedDatabaseError, freePort, startEmbeddedDatabase } from '../../scripts/embedded-db.mjs'

// The embedded default database's life cycle: what `npm start` relies on when it is stopped, started twice or killed.
const root = mkdtempSync(join(tmpdir(), 'gallery-embedded-db-'))
chmodSync(root, 0o755) // the server runs as user postgres when the tests run as root
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text)).rows
  }
  finally {
    await client.end()
  }
}

/** A separate node process that starts the database and prints its url, like `npm start` does. */
function startInChild(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    const { startEmbeddedDatabase } = await import(${JSON.stringify(new URL('../../scripts/embedded-db.mjs', import.meta.url).href)})
    const db = await startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} })
    process.on('SIGTERM', () => db.stop().then(() => process.exit(0)))
    console.log('ready')
    setInterval(() => {}, 1000)
  `], { stdio: ['ignore', 'pipe', 'inherit'] })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', chunk => String(chunk).includes('ready') && resolve())
    child.once('exit', code => reject(new Error(`child exited with ${code}`)))
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  return { child, ready, exited }
}

describe('embedded PostgreSQL', () => {
  it('keeps data across a clean stop and start', async () => {
    const dataDir = join(root, 'restart')
    const port = await freePort()
    const first = await startEmbeddedDatabase({ dataDir, port })
    await query(first.url, 'create table kept (value text); insert into kept values (\'still here\')')
    await first.stop()
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false)
    const second = await startEmbeddedDatabase({ dataDir, port })
    try {
      expect(await query(second.url, 'select value from kept')).toEqual([{ value: 'still here' }])
    }
    finally {
      await second.stop()
    }
  }, 120_000)

  it('refuses a second server on a data directory in use with one line from Postgres\' lock', async () => {
    const dataDir = join(root, 'locked')
    const running = await startEmbeddedDatabase({ dataDir, port: await freePort() })
    try {
      const second = startEmbeddedDatabase({ dataDir, port: await freePort() })
      await expect(second).rejects.toBeInstanceOf(EmbeddedDatabaseError)
      const message = await second.catch((error: Error) => error.message)
      expect(message).toMatch(/already in use \(lock file "postmaster.pid" already exists/)
      expect(message).not.toContain('\n')
      expect(await query(running.url, 'select 1 as ok')).toEqual([{ ok: 1 }])
    }
    finally {
      await running.stop()
    }
  }, 120_000)

  it('stops cleanly on SIGTERM, and starts again after its owner was killed with SIGKILL', async () => {
    const dataDir = join(root, 'killed')
    const port = await freePort()
    const terminated = startInChild(dataDir, port)
    await terminated.ready
    terminated.child.kill('SIGTERM')
    await terminated.exited
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false)

    const killed = startInChild(dataDir, port)
    await killed.ready
    killed.child.kill('SIGKILL') // the postmaster lives on without its owner
    await killed.exited
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true)
    const again = await startEmbeddedDatabase({ dataDir, port })
    try {
      expect(await query(again.url, 'select 1 as ok')).toEqual([{ ok: 1 }])
    }
    finally {
      await again.stop()
    }
  }, 120_000)
})
