import { sql } from 'drizzle-orm'
import { defineEventHandler } from 'h3'
import { useDB } from '../../../../server/utils/db'
import { requireBench } from '../../counters'

// What one Postgres round trip costs a request here: a fresh connection (as every request opens) and `select 1`.
export default defineEventHandler(async (event) => {
  requireBench(event)
  await useDB(event).execute(sql`select 1`)
  return { ok: true }
})
