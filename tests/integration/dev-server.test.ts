import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/embedded-db.mjs'
import { stopProcessGroup, waitForHttp } from '../../scripts/worker.mjs'
import { makePng } from '../support/png'
import { signedUploadHeaders, type SignedUpload } from '../support/storage'

// `npm run dev` (nuxt dev with hot reload, Nitro's Cloudflare emulation): the core flow works there too. The dev
// server signs for /cdn-cgi/local/r2/s3 on its own origin and relays to the emulation's storage (server/dev/), so
// what the browser PUTs is what the GALLERY binding reads.
const PORT = await freePort()
const origin = `http://localhost:${PORT}`
const dataDir = mkdtempSync(join(tmpdir(), 'gallery-dev-'))
chmodSync(dataDir, 0o755) // the embedded server runs as user postgres when the tests run as root
let server: ReturnType<typeof spawn>

beforeAll(async () => {
  const { DATABASE_URL: _ignored, ...env } = process.env
  server = spawn('node', ['scripts/local.mjs', 'dev', '--port', String(PORT), '--data-dir', dataDir, '--db-port', String(await freePort())], {
    env, stdio: 'ignore', detached: true,
  })
  // A cold `nuxt dev` compiles the app on the first request: minutes on a busy 2-core machine.
  await waitForHttp(`${origin}/api/health`, { timeoutMs: 280_000 })
}, 300_000)

afterAll(async () => {
  if (server) {
    const exited = new Promise(resolve => server.exitCode !== null || server.signalCode !== null ? resolve(null) : server.once('exit', resolve))
    stopProcessGroup(server)
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

describe('npm run dev', () => {
  it('issues upload URLs that land where the server verifies them', async () => {
    const headers = { 'origin': origin, 'content-type': 'application/json' }
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: 'POST', headers, body: JSON.stringify({ name: 'Dev', email: `dev-${randomUUID()}@example.com`, password: 'correct-horse-battery' }),
    })
    expect(signUp.status).toBe(200)
    const cookie = signUp.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')

    const image = makePng(5, [40, 80, 120])
    const signing = await fetch(`${origin}/api/user/profile/image`, {
      method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ contentType: 'image/png', fileSize: image.length }),
    })
    expect(signing.status, await signing.clone().text()).toBe(200)
    const signed = await signing.json() as SignedUpload
    expect(new URL(signed.presignedUrl).origin).toBe(origin)
    // Storage still checks the signature: a different size is refused.
    const tampered = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body: makePng(6, [0, 0, 0]) })
    expect(tampered.status).toBe(403)
    // Storage shares the dev origin here, so the relay applies the local storage rules (server/dev/local-storage-rules.ts).
    const unsigned = await fetch(signed.presignedUrl, { method: 'PUT', headers: { ...signedUploadHeaders(signed), 'x-amz-meta-foo': 'bar' }, body: image })
    expect(unsigned.status).toBe(403)
    const put = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body: image })
    expect(put.status).toBe(200)

    const shown = await (await fetch(`${origin}/api/user/profile/image`, { headers: { cookie } })).json()
    expect(shown.hasImage).toBe(true)
    expect(Buffer.from(await (await fetch(shown.downloadUrl)).arrayBuffer()).equals(image)).toBe(true)
    const download = await fetch(shown.downloadUrl)
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/)
    expect(download.headers.get('content-security-policy')).toBe('sandbox')
    await download.arrayBuffer()
  }, 120_000)
})
