// `npm run bench`: builds, then measures the production bundle under `wrangler dev` against a real Postgres.
// Prints the figures and writes bench/results.json. Options: BENCH_DURATION (seconds per load run, default 10),
// BENCH_POSTGRES_URL (a server to create the throwaway database on), BENCH_PORT (default 8795),
// BENCH_MULTIPART_MIB (size of the large-file run, default 1024; CI's smoke run uses less), BENCH_MULTIPART_RUNS and
// BENCH_UPLOAD_RUNS (Chromium/curl pairs of the large-file and 100 MiB steps, default 3), BENCH_ONLY=multipart (only
// the large-file step: its table and targets on stdout, bench/results.json left alone), BENCH_ONLY=sql (only the SQL
// statements and storage calls per request, the same way), BENCH_ONLY=thumbnails (only the bytes to show a page of 20
// photo thumbnails, the same way), BENCH_ONLY=load (only the load runs with the signing path's split, the same way).
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { localS3Credentials } from '../scripts/local-storage-credentials.mjs'
import { measureBundle } from './lib/bundle.mjs'
import { loadPath, measureThroughput } from './lib/http.mjs'
import { checkTargets, loadTargets, multipartTable, multipartTargets, printReport, sqlTable, targetsTable, throughputTable, thumbnailTable, thumbnailTargets } from './lib/report.mjs'
import { startBenchServer, waitForAuditQueue } from './lib/server.mjs'
import { measureSigning } from './lib/signing.mjs'
import { countConsumerStatements, countStatements } from './lib/sql.mjs'
import { measureUpload } from './lib/upload.mjs'
import { measureProfilePresign } from './lib/versions.mjs'
import { measureMultipart } from './lib/multipart.mjs'
import { measureThumbnails } from './lib/thumbnails.mjs'

const port = Number(process.env.BENCH_PORT ?? 8795)
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10)
// A load run must stay inside one session cookie cache lifetime (5 min), or it measures database-backed sessions.
if (!(durationSeconds >= 1 && durationSeconds <= 120)) throw new Error('BENCH_DURATION must be 1..120 seconds')

const step = message => console.error(`bench: ${message}`)

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
}
const only = process.env.BENCH_ONLY
if (only !== undefined && !['multipart', 'sql', 'thumbnails', 'load'].includes(only)) throw new Error('BENCH_ONLY can only be "multipart", "sql", "thumbnails" or "load"')
const thumbnailStep = 'bytes to show a page of 20 photo uploads: previews vs originals (Chromium)'
const multipartStep = `large file in parts (${process.env.BENCH_MULTIPART_MIB ?? 1024} MiB): Chromium vs curl, then a reload at half and resume`

/** One step alone on its own bench server: its table and targets on stdout, bench/results.json left alone. */
async function runAlone(label, measure) {
  const server = await startBenchServer({ port })
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.stop().finally(() => process.exit(130)))
  try {
    const { tables, targets = [] } = await measure(server)
    console.log([`Gallery benchmark, ${label} only, ${results.date} — ${results.machine.cpu}, ${results.machine.cores} cores`, '', ...tables, '', targetsTable(targets, durationSeconds)].join('\n'))
    if (targets.some(({ met, enforced }) => !met && enforced)) process.exitCode = 1
  }
  finally {
    await server.stop()
  }
  process.exit()
}

const alone = {
  multipart: () => runAlone('large file in parts', async (server) => {
    step(multipartStep)
    const multipart = await measureMultipart(server.baseURL, { ...localS3Credentials(), endpoint: server.storageEndpoint })
    return { tables: [multipartTable(multipart)], targets: multipartTargets(multipart).map(target => ({ enforced: true, ...target })) }
  }),
  thumbnails: () => runAlone('thumbnails', async (server) => {
    step(thumbnailStep)
    const thumbnails = await measureThumbnails(server.baseURL)
    return { tables: [thumbnailTable(thumbnails)], targets: thumbnailTargets(thumbnails).map(target => ({ enforced: true, ...target })) }
  }),
  sql: () => runAlone('SQL and storage calls', async (server) => {
    step('SQL statements and storage calls per request')
    return { tables: [sqlTable(await countStatements(server.baseURL))] }
  }),
  load: () => runAlone('load and its split', async (server) => {
    step(`throughput and latency (autocannon, ${durationSeconds} s per run)`)
    const throughput = await measureThroughput(server.baseURL, { durationSeconds, workerURL: server.workerURL })
    return { tables: [`Load sent to: ${loadPath(server.workerURL)}`, '', throughputTable(throughput)], targets: loadTargets(throughput, durationSeconds) }
  }),
}
if (only !== undefined) await alone[only]()

step('worker bundle (wrangler deploy --dry-run)')
results.bundle = measureBundle()
const server = await startBenchServer({ port })
// Ctrl-C or a CI timeout must not leave wrangler dev on the port or the throwaway database behind.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.stop().finally(() => process.exit(130)))
try {
  step('SQL statements and storage calls per request')
  results.sqlStatements = await countStatements(server.baseURL)
  step('audit queue consumer: statements per 100 events')
  results.auditConsumer = await countConsumerStatements(server.baseURL, server.databaseUrl)
  step('signing cost per URL')
  results.signing = await measureSigning({ endpoint: `${server.baseURL}/cdn-cgi/local/r2/s3`, ...localS3Credentials() })
  step(`throughput and latency (autocannon, ${durationSeconds} s per run)`)
  results.throughput = await measureThroughput(server.baseURL, { durationSeconds, workerURL: server.workerURL })
  results.throughputRunSeconds = durationSeconds
  results.throughputSentTo = loadPath(server.workerURL)
  // Each timed step starts once the queue holds none of the earlier steps' audit events.
  const drainAuditQueue = async () => step(`audit queue drained (${await waitForAuditQueue(server.baseURL)} ms)`)
  await drainAuditQueue()
  step('100 MiB uploads: Chromium and curl')
  results.upload = await measureUpload(server.baseURL)
  await drainAuditQueue()
  step('profile presign with history on (keepVersions 5)')
  results.profileHistory = [{ keepVersions: 5, ...await measureProfilePresign(server.baseURL, { durationSeconds }) }]
  await drainAuditQueue()
  step(multipartStep)
  results.multipart = await measureMultipart(server.baseURL, { ...localS3Credentials(), endpoint: server.storageEndpoint })
  await drainAuditQueue()
  step(thumbnailStep)
  results.thumbnails = await measureThumbnails(server.baseURL)
}
finally {
  await server.stop()
}
step('profile presign with history off (a second worker, keepVersions 0)')
const historyOff = await startBenchServer({ port, vars: { PROFILE_IMAGE_KEEP_VERSIONS: '0' } })
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => historyOff.stop().finally(() => process.exit(130)))
try {
  results.profileHistory.unshift({ keepVersions: 0, ...await measureProfilePresign(historyOff.baseURL, { durationSeconds }) })
}
finally {
  await historyOff.stop()
}
results.targets = checkTargets(results)
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
printReport(results)
if (results.targets.some(({ met, enforced }) => !met && enforced)) process.exitCode = 1
