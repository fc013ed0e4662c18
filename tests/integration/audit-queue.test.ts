import { describe, expect, inject, it } from 'vitest'
import pg from 'pg'
import { drizzle } from 'drizzle-orm/node-postgres'
import * as schema from '../../drizzle/schema'
import { insertAuditEvents } from '../../server/utils/audit-queue'
import type { AuditMessage } from '../../server/utils/audit'
import { api, signUp, sql, updatedCookie } from '../support/api'

// Audit events travel through the real local queue of `wrangler dev` (gallery-audit, consumer in the same worker).

const imageRequest = { contentType: 'image/png', fileSize: 10 }
const rowsOf = (userId: string) => sql<Record<string, string>>('select * from presign_event where user_id = $1 order by id', [userId])

describe('the audit queue', () => {
  it('writes an event to presign_event after a signing request, and /api/user/activity shows it', async () => {
    const user = await signUp()
    const response = await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: imageRequest })
    expect(response.status).toBe(200)
    const { key } = await response.json() as { key: string }
    await expect.poll(async () => (await rowsOf(user.id)).length, { timeout: 30_000 }).toBe(1)
    const [row] = await rowsOf(user.id)
    expect(row).toMatchObject({ action: 'put', key, content_type: 'image/png', size: '10' })
    expect(row!.event_id).toMatch(/^[0-9a-f-]{36}$/)
    const activity = await (await api('/api/user/activity', { cookie: user.cookie })).json()
    expect(activity.items).toMatchObject([{ action: 'put', key }])
  })

  it('writes every event of concurrent signing requests, sent to the queue together', async () => {
    const [first, second] = await Promise.all([signUp('Busy'), signUp('Beside')])
    const presign = (user: typeof first) => api('/api/uploads/pre-signed-url', { method: 'POST', cookie: user.cookie, json: { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 } })
    const responses = await Promise.all([...Array.from({ length: 12 }, () => presign(first)), ...Array.from({ length: 5 }, () => presign(second))])
    expect(responses.map(response => response.status)).toEqual(Array(17).fill(200))
    const keysOf = async (list: Response[]) => Promise.all(list.map(async response => (await response.json() as { key: string }).key))
    const [firstKeys, secondKeys] = await Promise.all([keysOf(responses.slice(0, 12)), keysOf(responses.slice(12))])
    await expect.poll(async () => (await rowsOf(first.id)).length, { timeout: 30_000 }).toBe(12)
    await expect.poll(async () => (await rowsOf(second.id)).length, { timeout: 30_000 }).toBe(5)
    expect((await rowsOf(first.id)).map(row => row.key).sort()).toEqual(firstKeys.sort())
    expect((await rowsOf(second.id)).map(row => row.key).sort()).toEqual(secondKeys.sort())
  })

  it('adds nothing when a batch it already wrote is delivered again', async () => {
    const user = await signUp()
    expect((await api('/api/user/profile/image', { method: 'POST', cookie: user.cookie, json: imageRequest })).status).toBe(200)
    await expect.poll(async () => (await rowsOf(user.id)).length, { timeout: 30_000 }).toBe(1)
    const [written] = await rowsOf(user.id)
    // The batch as the consumer received it: the event the queue delivered, plus one it had not written yet.
    const delivered: AuditMessage = {
      id: written!.event_id!, userId: user.id, action: 'put', key: written!.key!, contentType: 'image/png', size: 10,
      clientIp: null, userAgent: null, at: new Date(written!.created_at!).toISOString(),
    }
    const batch = [delivered, { ...delivered, id: crypto.randomUUID(), action: 'get' as const, at: new Date().toISOString() }]
    const client = new pg.Client({ connectionString: inject('databaseUrl') })
    await client.connect()
    try {
      const db = drizzle(client, { schema })
      await insertAuditEvents(db, batch)
      await insertAuditEvents(db, batch)
    }
    finally {
      await client.end()
    }
    const rows = await rowsOf(user.id)
    expect(rows.map(row => [row.event_id, row.action])).toEqual([[delivered.id, 'put'], [batch[1]!.id, 'get']])
  })

  it('sends a message it can never write (its user is gone) to the dead-letter queue, and writes the rest of its batch', async () => {
    const [gone, others] = await Promise.all([signUp('Gone'), signUp('Others')])
    const first = await api('/api/user/profile/image', { method: 'POST', cookie: gone.cookie, json: imageRequest })
    expect(first.status).toBe(200)
    const cached = updatedCookie(gone.cookie, first)
    await expect.poll(async () => (await rowsOf(gone.id)).length, { timeout: 30_000 }).toBe(1)
    // The session cookie cache still vouches for the deleted user, so its next URL is signed and audited.
    await sql('delete from "user" where id = $1', [gone.id])
    const responses = await Promise.all([
      api('/api/user/profile/image', { method: 'POST', cookie: cached, json: imageRequest }),
      ...Array.from({ length: 3 }, () => api('/api/user/profile/image', { method: 'POST', cookie: others.cookie, json: imageRequest })),
    ])
    expect(responses.map(response => response.status)).toEqual([200, 200, 200, 200])

    const deadLetters = () => sql<{ body: AuditMessage }>(`select body from audit_dead_letter where body->>'userId' = $1`, [gone.id])
    await expect.poll(async () => (await deadLetters()).length, { timeout: 60_000 }).toBe(1)
    await expect.poll(async () => (await rowsOf(others.id)).length, { timeout: 30_000 }).toBe(3)
    const [{ body }] = await deadLetters() as [{ body: AuditMessage }]
    expect(body).toMatchObject({ userId: gone.id, action: 'put', contentType: 'image/png', size: 10 })
    expect(JSON.stringify(body)).not.toMatch(/X-Amz|https?:|cdn-cgi/)
    expect(await rowsOf(gone.id)).toEqual([])
  })
})
