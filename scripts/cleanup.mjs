// Runs the orphan-upload cleanup now, on the local worker started by `npm start` (wrangler dev --test-scheduled).
import { readFileSync } from 'node:fs'
import { BUILT_WORKER_CONFIG } from './worker.mjs'

const port = process.env.PORT ?? '3000'
const [cron] = JSON.parse(readFileSync(BUILT_WORKER_CONFIG, 'utf8')).triggers.crons
const response = await fetch(`http://127.0.0.1:${port}/__scheduled?cron=${encodeURIComponent(cron)}`)
console.log(`${response.status} ${await response.text()} (counts are in the server log as "uploads.cleanup")`)
process.exit(response.ok ? 0 : 1)
