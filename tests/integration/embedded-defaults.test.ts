import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitForHttp } from '../../scripts/worker.mjs'
import { makePng } from '../support/png'
import { signedUploadHeaders } from '../support/storage'

// The README's run command path (`npm start` = build + scripts/local.mjs serve) on embedded defaults:
// PGlite over the wire protocol, local R2, no DATABASE_URL, no credentials.
const PORT = 8793
const origin = `http://localhost:${PORT}`
mkdirSync('.data', { recursive: true })
// Relative on purpose, like the default `.data`: paths handed to wrangler must not depend on its working folder.
const dataDir = mkdtempSync('.data/test-embedded-')
let server: ReturnType<typeof spawn>

beforeAll(async () => {
  const { DATABASE_URL: _ignored, ...env } = process.env
  server = spawn('node', ['scripts/local.mjs', 'serve', '--port', String(PORT), '--data-dir', dataDir, '--db-port', '54339'], { env, stdio: 'ignore' })
  await waitForHttp(`${origin}/api/health`, { timeoutMs: 60_000 })
})

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise(resolve => server.once('exit', resolve))
  }
  rmSync(dataDir, { recursive: true, force: true })
})

describe('embedded defaults', () => {
  it('reports the embedded database and local storage healthy', async () => {
    const response = await fetch(`${origin}/api/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ database: { ok: true }, storage: { ok: true } })
  })

  it('signs up and uploads a profile image end to end', async () => {
    const headers = { 'origin': origin, 'content-type': 'application/json' }
    const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
      method: 'POST', headers, body: JSON.stringify({ name: 'Local', email: 'local@example.com', password: 'correct-horse-battery' }),
    })
    expect(signUp.status).toBe(200)
    const cookie = signUp.headers.getSetCookie().map(c => c.split(';')[0]).join('; ')

    const image = makePng(4, [10, 20, 30])
    const signing = await fetch(`${origin}/api/user/profile/image`, {
      method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ contentType: 'image/png', fileSize: image.length }),
    })
    expect(signing.status).toBe(200)
    const signed = await signing.json()
    const put = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body: image })
    expect(put.status).toBe(200)
    const shown = await (await fetch(`${origin}/api/user/profile/image`, { headers: { cookie } })).json()
    expect(shown.hasImage).toBe(true)
    expect(Buffer.from(await (await fetch(shown.downloadUrl)).arrayBuffer()).equals(image)).toBe(true)
  })
})
