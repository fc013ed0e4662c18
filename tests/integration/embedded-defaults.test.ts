import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/embedded-db.mjs'
import { waitForHttp } from '../../scripts/worker.mjs'
import { makePng } from '../support/png'
import { signedUploadHeaders } from '../support/storage'

// The README's run command path (`npm start` = build + scripts/local.mjs serve) on embedded defaults:
// the embedded database, local R2, no DATABASE_URL, no credentials.
const PORT = await freePort()
const DB_PORT = await freePort()
const origin = `http://localhost:${PORT}`
const dataDir = mkdtempSync(join(tmpdir(), 'gallery-embedded-'))
chmodSync(dataDir, 0o755) // the embedded server runs as user postgres when the tests run as root
let server: ReturnType<typeof spawn>

beforeAll(async () => {
  const { DATABASE_URL: _ignored, ...env } = process.env
  server = spawn('node', ['scripts/local.mjs', 'serve', '--port', String(PORT), '--data-dir', dataDir, '--db-port', String(DB_PORT)], { env, stdio: 'ignore' })
  await waitForHttp(`${origin}/api/health`, { timeoutMs: 180_000 })
}, 200_000)

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise(resolve => server.once('exit', resolve))
  }
  rmSync(dataDir, { recursive: true, force: true })
})

const jsonHeaders = { 'origin': origin, 'content-type': 'application/json' }

async function signUp(name: string) {
  const bytes = randomBytes(3)
  const response = await fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { ...jsonHeaders, 'cf-connecting-ip': `10.${bytes[0]}.${bytes[1]}.${bytes[2]}` },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}-${randomUUID()}@example.com`, password: 'correct-horse-battery' }),
  })
  expect(response.status, await response.clone().text()).toBe(200)
  const { user } = await response.json() as { user: { id: string } }
  return { id: user.id, cookie: response.headers.getSetCookie().map(c => c.split(';')[0]).join('; ') }
}

/** Every answer of the concurrency run, so one assertion can name all that were not 2xx. */
const answers: { label: string, status: number }[] = []
async function call(label: string, path: string, init: RequestInit & { cookie: string, json?: unknown }) {
  const headers: Record<string, string> = { origin, cookie: init.cookie }
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${origin}${path}`, { ...init, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) })
  answers.push({ label, status: response.status })
  const body = await response.text()
  return { status: response.status, body: body ? JSON.parse(body) : undefined }
}

describe('embedded defaults', () => {
  it('reports the embedded database and local storage healthy', async () => {
    const response = await fetch(`${origin}/api/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ database: { ok: true }, storage: { ok: true } })
  })

  it('signs up and uploads a profile image end to end', async () => {
    const { cookie } = await signUp('Local')
    const image = makePng(4, [10, 20, 30])
    const signing = await fetch(`${origin}/api/user/profile/image`, {
      method: 'POST', headers: { ...jsonHeaders, cookie }, body: JSON.stringify({ contentType: 'image/png', fileSize: image.length }),
    })
    expect(signing.status).toBe(200)
    const signed = await signing.json()
    const put = await fetch(signed.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed), body: image })
    expect(put.status).toBe(200)
    const shown = await (await fetch(`${origin}/api/user/profile/image`, { headers: { cookie } })).json()
    expect(shown.hasImage).toBe(true)
    expect(Buffer.from(await (await fetch(shown.downloadUrl)).arrayBuffer()).equals(image)).toBe(true)
  })

  // Parallel requests must each get their own answer: an embedded database that serialises the wire protocol of all
  // connections into one session hands one connection another's rows (or errors) under exactly this load.
  it('keeps concurrent users apart: one profile key, own uploads only, no 5xx', async () => {
    const profileUser = await signUp('Avatar')
    const uploaders = []
    for (const name of ['Ann', 'Ben', 'Cy']) uploaders.push(await signUp(name))
    const FILES_PER_USER = 4

    const profileSignings = Array.from({ length: 20 }, () => call('profile POST', '/api/user/profile/image', {
      method: 'POST', cookie: profileUser.cookie, json: { contentType: 'image/png', fileSize: 64 },
    }))

    async function uploadFlow(user: { id: string, cookie: string }, index: number) {
      const bytes = Buffer.from(`${user.id} file ${index} ${randomUUID()}`)
      const signed = await call('pre-signed-url', '/api/uploads/pre-signed-url', {
        method: 'POST', cookie: user.cookie, json: { filename: `f${index}.txt`, contentType: 'text/plain', fileSize: bytes.length },
      })
      if (signed.status !== 200) return { user, bytes, signed }
      const put = await fetch(signed.body.presignedUrl, { method: 'PUT', headers: signedUploadHeaders(signed.body), body: bytes })
      answers.push({ label: 'storage PUT', status: put.status })
      const completed = await call('complete', `/api/uploads/${signed.body.uploadId}/complete`, { method: 'POST', cookie: user.cookie })
      const listed = await call('list', '/api/uploads?limit=50', { cookie: user.cookie })
      const download = await call('download-url', `/api/uploads/${signed.body.uploadId}/download-url`, { cookie: user.cookie })
      const downloaded = download.status === 200 ? Buffer.from(await (await fetch(download.body.downloadUrl)).arrayBuffer()) : undefined
      const deleted = await call('delete', `/api/uploads/${signed.body.uploadId}`, { method: 'DELETE', cookie: user.cookie })
      return { user, bytes, signed, completed, listed, downloaded, deleted }
    }
    const flows = uploaders.flatMap(user => Array.from({ length: FILES_PER_USER }, (_, index) => uploadFlow(user, index)))
    const [profileResults, flowResults] = await Promise.all([Promise.all(profileSignings), Promise.all(flows)])

    const refused = answers.filter(({ status }) => status < 200 || status >= 300)
    expect(refused, JSON.stringify(refused)).toEqual([])

    const profileKeys = new Set(profileResults.map(result => result.body.key))
    expect(profileKeys.size).toBe(1)
    const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${DB_PORT}/postgres` })
    await client.connect()
    try {
      const { rows } = await client.query('select image from "user" where id = $1', [profileUser.id])
      expect(rows[0].image).toBe([...profileKeys][0])
      for (const result of profileResults) expect(result.body.uploadedBy).toBe(profileUser.id)
    }
    finally { await client.end() }

    for (const flow of flowResults) {
      const ownIds = new Set(flowResults.filter(other => other.user.id === flow.user.id).map(other => other.signed.body.uploadId))
      expect(flow.signed.body.uploadedBy).toBe(flow.user.id)
      expect(flow.completed!.body.id).toBe(flow.signed.body.uploadId)
      for (const item of flow.listed!.body.items) expect(ownIds.has(item.id)).toBe(true)
      expect(flow.downloaded!.equals(flow.bytes)).toBe(true)
      expect(flow.deleted!.body).toEqual({ id: flow.signed.body.uploadId, deleted: true })
    }
    // Nobody can reach another person's upload, and every delete took effect.
    const [ann, ben] = uploaders
    const bensUpload = flowResults.find(flow => flow.user.id === ben!.id)!.signed.body.uploadId
    expect((await call('foreign', `/api/uploads/${bensUpload}/download-url`, { cookie: ann!.cookie })).status).toBe(404)
    answers.pop()
    for (const user of uploaders) {
      expect((await call('list after', '/api/uploads', { cookie: user.cookie })).body.items).toEqual([])
    }
  }, 180_000)
})
