import { sql } from 'drizzle-orm'

export default defineEventHandler(async (event) => {
  const env = useEnv(event)
  const [database, storage] = await Promise.all([
    probe(() => useDB(event).execute(sql`select 1`), healthConfig.probeTimeoutMs),
    probe(() => env.GALLERY.head('health-probe'), healthConfig.probeTimeoutMs),
  ])
  const ok = database.ok && storage.ok
  setResponseStatus(event, ok ? 200 : 503)
  return { status: ok ? 'ok' : 'unavailable', database, storage }
})
