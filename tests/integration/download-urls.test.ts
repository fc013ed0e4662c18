import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { uploadPolicy } from '../../shared/utils/policy'
import { api, signUp, sql, type TestUser } from '../support/api'
import { makePng } from '../support/png'
import type { SignedGenericUpload } from '../support/storage'
import { committedUpload } from '../support/uploads'

const downloadUrls = (user: TestUser | null, json: unknown, init: RequestInit = {}) =>
  api('/api/uploads/download-urls', { method: 'POST', cookie: user?.cookie, json, ...init })

describe('POST /api/uploads/download-urls', () => {
  it('signs GET URLs for the owner\'s committed uploads in one request, leaving out everything else', async () => {
    const user = await signUp()
    const other = await signUp()
    const red = makePng(8, [255, 0, 0])
    const blue = makePng(9, [0, 0, 255])
    const mine = [await committedUpload(user, 'red.png', red, 'image/png'), await committedUpload(user, 'blue.png', blue, 'image/png')]
    const theirs = await committedUpload(other, 'theirs.png', makePng(4, [0, 255, 0]), 'image/png')
    const pendingResponse = await api('/api/uploads/pre-signed-url', { method: 'POST', cookie: user.cookie, json: { filename: 'p.png', contentType: 'image/png', fileSize: 10 } })
    const pending = await pendingResponse.json() as SignedGenericUpload
    const deleted = await committedUpload(user, 'gone.txt', Buffer.from('gone'), 'text/plain')
    expect((await api(`/api/uploads/${deleted.uploadId}`, { method: 'DELETE', cookie: user.cookie })).status).toBe(200)

    const ids = [mine[0]!.uploadId, theirs.uploadId, randomUUID(), pending.uploadId, deleted.uploadId, mine[1]!.uploadId, mine[0]!.uploadId]
    const response = await downloadUrls(user, { ids })
    expect(response.status).toBe(200)
    const body = await response.json() as { items: { id: string, downloadUrl: string }[], expiresIn: number }
    expect(body.expiresIn).toBe(3600)
    expect(body.items.map(item => item.id).sort()).toEqual(mine.map(signed => signed.uploadId).sort())

    for (const [signed, bytes] of [[mine[0]!, red], [mine[1]!, blue]] as const) {
      const { downloadUrl } = body.items.find(item => item.id === signed.uploadId)!
      expect(new URL(downloadUrl).searchParams.get('response-content-disposition')).toMatch(/^attachment; /)
      const download = await fetch(downloadUrl)
      expect(download.status).toBe(200)
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true)
    }

    // The other user's ids sign nothing for this user, and nothing of this user's for the other.
    const foreign = await (await downloadUrls(other, { ids: mine.map(signed => signed.uploadId) })).json()
    expect(foreign.items).toEqual([])
  })

  it('records one "get" event per URL it signs, as the single download-url route does', async () => {
    const user = await signUp()
    const uploads = [await committedUpload(user, 'a.png', makePng(2, [1, 2, 3]), 'image/png'), await committedUpload(user, 'b.png', makePng(3, [1, 2, 3]), 'image/png')]
    expect((await downloadUrls(user, { ids: [...uploads.map(signed => signed.uploadId), randomUUID()] })).status).toBe(200)
    await expect.poll(async () => (await sql<{ key: string }>(`select key from presign_event where user_id = $1 and action = 'get'`, [user.id])).map(row => row.key).sort(),
      { timeout: 20_000 }).toEqual(uploads.map(signed => signed.key).sort())
    // Marked as signed for the page to show, with the file's name: in the audit log, not in the person's activity.
    expect(await sql(`select filename, incidental from presign_event where user_id = $1 and action = 'get' order by filename`, [user.id]))
      .toEqual([{ filename: 'a.png', incidental: true }, { filename: 'b.png', incidental: true }])
    const activity = await (await api('/api/user/activity', { cookie: user.cookie })).json() as { items: { action: string }[] }
    expect(activity.items.map(item => item.action)).toEqual(['put', 'put'])
  })

  it('answers bad input with a JSON 4xx naming the problem, and needs a session', async () => {
    const user = await signUp()
    const tooMany = Array.from({ length: uploadPolicy.maxDownloadUrlBatch + 1 }, () => randomUUID())
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /^ids: /],
      [{ ids: [] }, 400, /^ids: must name at least one upload/],
      [{ ids: tooMany }, 400, /^ids: must name at most 50 uploads/],
      [{ ids: ['not-a-uuid'] }, 400, /^ids\.0: /],
      [{ ids: 'x' }, 400, /^ids: /],
      [[randomUUID()], 400, /JSON object/],
    ]
    for (const [json, status, message] of cases) {
      const response = await downloadUrls(user, json)
      expect(response.status, JSON.stringify(json)).toBe(status)
      expect((await response.json()).message).toMatch(message)
    }
    const text = await api('/api/uploads/download-urls', { method: 'POST', cookie: user.cookie, body: JSON.stringify({ ids: [randomUUID()] }), headers: { 'content-type': 'text/plain' } })
    expect(text.status).toBe(415)
    expect((await downloadUrls(null, { ids: [randomUUID()] })).status).toBe(401)
  })
})
