// A 100 MiB upload from real Chromium through the /uploads page, with the Worker's request counters read before and
// after (bench/server/counters.ts): the file's bytes must not pass through the Worker. Then curl PUTs the same file to
// the same local S3 endpoint with a URL signed the same way, for the browser-vs-curl throughput comparison; both clients
// run in the idle scheduling class where the machine has one (./client-priority.mjs).
// 100 MiB is above the multipart threshold, so the browser sends it in parts: its PUT time is the span of all of this
// upload's PUTs to storage (first start to last end), not one request's.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs'
import { uploadClients } from './client-priority.mjs'
import { workerTotals } from './server.mjs'
import { BenchClient } from './session.mjs'
import { signedUploadHeaders } from '../../shared/utils/upload-contract.ts'

const MiB = 1024 * 1024
const FILE_BYTES = 100 * MiB
const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 3)
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error('BENCH_UPLOAD_RUNS must be a whole number ≥ 1')

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const mibPerSecond = (bytes, ms) => Number((bytes / MiB / (ms / 1000)).toFixed(1))

async function browserUpload(page, baseURL, filePath, run) {
  const before = await workerTotals(baseURL)
  await page.evaluate(() => performance.clearResourceTimings())
  await page.getByLabel('Choose files to upload').setInputFiles(filePath)
  const status = page.getByTestId('queue-status').nth(run)
  await status.and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout: 300_000 })
  if (await status.getAttribute('data-status') !== 'done') throw new Error(`browser upload ${run + 1} failed: ${await page.getByTestId('queue-entry').nth(run).innerText()}`)
  const after = await workerTotals(baseURL)
  const put = await page.evaluate(() => {
    const puts = performance.getEntriesByType('resource').filter(entry => entry.name.includes('/cdn-cgi/local/r2/s3/'))
    if (puts.length === 0) return null
    return { requests: puts.length, spanMs: Math.max(...puts.map(entry => entry.responseEnd)) - Math.min(...puts.map(entry => entry.startTime)) }
  })
  if (!put) throw new Error('no resource timing entry for the browser PUT')
  return {
    putMs: Math.round(put.spanMs),
    putRequests: put.requests,
    workerRequests: after.requests - before.requests,
    workerJsonBodyBytes: after.jsonBodyBytes - before.jsonBodyBytes,
    workerPayloadBytes: after.otherBodyBytes - before.otherBodyBytes,
    workerBodiesWithoutLength: after.bodiesWithoutLength - before.bodiesWithoutLength,
  }
}

async function curlUpload(client, filePath, runCurl) {
  const { body: signed } = await client.request('/api/uploads/pre-signed-url', {
    method: 'POST', json: { filename: 'bench-curl.bin', contentType: 'application/octet-stream', fileSize: FILE_BYTES },
  })
  const headerArgs = Object.entries(signedUploadHeaders(signed)).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const curlArgs = ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-X', 'PUT', '-T', filePath, ...headerArgs, signed.presignedUrl]
  const curl = runCurl(curlArgs)
  const [status, seconds] = curl.stdout.trim().split(' ')
  if (curl.status !== 0 || status !== '200') throw new Error(`curl upload failed: ${curl.stdout} ${curl.stderr}`)
  return { putMs: Math.round(Number(seconds) * 1000) }
}

export async function measureUpload(baseURL) {
  const folder = mkdtempSync(join(tmpdir(), 'gallery-bench-upload-'))
  const filePath = join(folder, 'bench-100MiB.bin')
  writeFileSync(filePath, randomBytes(FILE_BYTES))
  const client = await new BenchClient(baseURL).signUp('Upload User')
  const clients = uploadClients(folder, findChromium())
  const browser = await chromium.launch({ executablePath: clients.executablePath, args: CHROMIUM_ARGS })
  try {
    const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'cf-connecting-ip': client.clientIp } })
    await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: baseURL })))
    const page = await context.newPage()
    await page.goto('/uploads')
    await page.locator('html[data-hydrated="true"]').waitFor()
    const browserRuns = []
    const curlRuns = []
    for (let run = 0; run < RUNS; run++) {
      browserRuns.push(await browserUpload(page, baseURL, filePath, run))
      curlRuns.push(await curlUpload(client, filePath, clients.curl))
    }
    const { body: listed } = await client.request('/api/uploads')
    const committed = listed.items.filter(item => item.size === FILE_BYTES && item.status === 'committed').length
    const browserMs = median(browserRuns.map(run => run.putMs))
    const curlMs = median(curlRuns.map(run => run.putMs))
    return {
      fileBytes: FILE_BYTES,
      runs: RUNS,
      clientsScheduling: clients.scheduling,
      committedBrowserUploads: committed,
      workerPayloadBytes: Math.max(...browserRuns.map(run => run.workerPayloadBytes)),
      workerJsonBodyBytesPerUpload: median(browserRuns.map(run => run.workerJsonBodyBytes)),
      workerRequestsPerUpload: median(browserRuns.map(run => run.workerRequests)),
      workerBodiesWithoutLength: Math.max(...browserRuns.map(run => run.workerBodiesWithoutLength)),
      browserPutMs: browserMs,
      browserPutRequests: median(browserRuns.map(run => run.putRequests)),
      browserMiBPerSecond: mibPerSecond(FILE_BYTES, browserMs),
      curlPutMs: curlMs,
      curlMiBPerSecond: mibPerSecond(FILE_BYTES, curlMs),
      browserRuns,
      curlRuns,
    }
  }
  finally {
    await browser.close()
    rmSync(folder, { recursive: true, force: true })
  }
}
