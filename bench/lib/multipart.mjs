// Large files in parts, from real Chromium through the /uploads page:
// 1. an upload of BENCH_MULTIPART_MIB (default 1024) MiB, wall time from choosing the file to committed, against curl
//    PUTting the same file in one request to the same local S3 endpoint right after it; BENCH_MULTIPART_RUNS (default 3)
//    such pairs, the ratio being the median pair's (on the shared 2 cores one upload pair alone varies by ±15 %, and
//    either path can slow down from one pair to the next); both clients run in the idle scheduling class where the
//    machine has one (./client-priority.mjs); the Worker's request counters must show no payload bytes;
// 2. the same size again, reloading the page once half the parts are in storage, choosing the file again and resuming:
//    bytes of parts that storage had already taken and that were sent again (at most one part size), with the parts
//    that were in flight at the reload reported apart (cut off mid-way, their bytes are lost, not re-sent whole).
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs'
import { uploadClients } from './client-priority.mjs'
import { workerTotals } from './server.mjs'
import { BenchClient } from './session.mjs'
import { loadAppSigner } from './signing.mjs'
import { signedUploadHeaders, uploadMetadata } from '../../shared/utils/upload-contract.ts'
import { multipartPartCount, multipartPartLength, multipartPartSize } from '../../shared/utils/policy.ts'

const MiB = 1024 * 1024
const RUNS = Number(process.env.BENCH_MULTIPART_RUNS ?? 3)
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error('BENCH_MULTIPART_RUNS must be a whole number ≥ 1')
const mibPerSecond = (bytes, ms) => Number((bytes / MiB / (ms / 1000)).toFixed(1))

async function writeRandomFile(path, size) {
  const out = createWriteStream(path)
  for (let written = 0; written < size; written += 4 * MiB) {
    if (!out.write(randomBytes(Math.min(4 * MiB, size - written)))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/** A signed-in /uploads page for a new user (each run needs the quota to itself), with storage's part answers logged. */
async function uploadsPage(browser, baseURL) {
  const client = await new BenchClient(baseURL).signUp('Multipart User')
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { 'cf-connecting-ip': client.clientIp } })
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: baseURL })))
  const page = await context.newPage()
  const parts = { started: new Set(), stored: [], waiters: [] }
  // The app's multipart requests by kind (resource timing has no method, and signing and recording share a path).
  const apiRequests = { signing: 0, recording: 0 }
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (request.method() === 'PUT' && url.searchParams.has('partNumber')) parts.started.add(Number(url.searchParams.get('partNumber')))
    if (/^\/api\/uploads\/multipart\/[^/]+\/parts(\/\d+)?$/.test(url.pathname)) apiRequests[request.method() === 'POST' ? 'signing' : 'recording']++
  })
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (response.request().method() === 'PUT' && url.searchParams.has('partNumber') && response.status() === 200) {
      parts.stored.push(Number(url.searchParams.get('partNumber')))
      parts.waiters = parts.waiters.filter(({ count, resolve }) => parts.stored.length >= count ? resolve() : true)
    }
  })
  await page.goto('/uploads')
  await page.locator('html[data-hydrated="true"]').waitFor()
  const storedAtLeast = count => parts.stored.length >= count ? Promise.resolve() : new Promise(resolve => parts.waiters.push({ count, resolve }))
  return { page, parts, apiRequests, context, storedAtLeast }
}

async function waitForDone(page) {
  const status = page.getByTestId('queue-status').first()
  await status.and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout: 1_800_000 })
  if (await status.getAttribute('data-status') !== 'done') throw new Error(`multipart upload failed: ${await page.getByTestId('queue-entry').first().innerText()}`)
}

/** `endpoint` is the local storage endpoint the page uploads through, so both go the same way. */
async function curlPut({ accessKeyId, secretAccessKey, endpoint }, filePath, fileBytes, runCurl) {
  const { createSigner } = await loadAppSigner()
  const signer = createSigner({ accessKeyId, secretAccessKey, endpoint, bucket: 'gallery' })
  const values = { originalFilename: 'bench-curl-large.bin', uploadedBy: 'bench', uploadedAt: new Date().toISOString() }
  const contentType = 'application/octet-stream'
  const url = await signer.presignPut({ key: `bench-curl-${Date.now()}.bin`, contentType, contentLength: fileBytes, metadata: uploadMetadata(values) })
  const headerArgs = Object.entries(signedUploadHeaders({ contentType, ...values })).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const curlArgs = ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '-X', 'PUT', '-T', filePath, ...headerArgs, url]
  const curl = runCurl(curlArgs)
  const [status, seconds] = curl.stdout.trim().split(' ')
  if (curl.status !== 0 || status !== '200') throw new Error(`curl upload failed: ${curl.stdout} ${curl.stderr}`)
  return Math.round(Number(seconds) * 1000)
}

/** One upload through the page for a new user (each needs the quota to itself), then curl's PUT of the same file. */
async function uploadThenCurl(browser, baseURL, credentials, filePath, fileBytes, runCurl) {
  const straight = await uploadsPage(browser, baseURL)
  const before = await workerTotals(baseURL)
  const started = Date.now()
  await straight.page.getByLabel('Choose files to upload').setInputFiles(filePath)
  await waitForDone(straight.page)
  // Where the time went: before the first part, the part PUTs from the first start to the last end (and how many were
  // in flight on average: 4 means no slot ever waited), and the completion request. The upload is committed when the
  // completion's answer arrives; Playwright only notices "done" at its next poll (every 500 ms after the first second).
  const { committedAt, ...split } = await straight.page.evaluate((chosenAt) => {
    const entries = performance.getEntriesByType('resource')
    const parts = entries.filter(entry => entry.name.includes('partNumber='))
    const complete = entries.find(entry => /\/api\/uploads\/multipart\/[^/]+\/complete$/.test(entry.name))
    const firstStart = Math.min(...parts.map(entry => entry.startTime))
    const partsSpanMs = Math.max(...parts.map(entry => entry.responseEnd)) - firstStart
    const busyMs = parts.reduce((sum, entry) => sum + entry.responseEnd - entry.startTime, 0)
    if (!complete) throw new Error('no completion request in the page\'s resource timing')
    return {
      committedAt: performance.timeOrigin + complete.responseEnd,
      beforeFirstPartMs: Math.round(performance.timeOrigin + firstStart - chosenAt),
      partsSpanMs: Math.round(partsSpanMs),
      meanPartsInFlight: Number((busyMs / partsSpanMs).toFixed(2)),
      completeMs: Math.round(complete.responseEnd - complete.startTime),
    }
  }, started)
  const browserMs = Math.round(committedAt - started)
  const after = await workerTotals(baseURL)
  await straight.context.close()
  const curlMs = await curlPut(credentials, filePath, fileBytes, runCurl)
  return {
    browserMs,
    curlMs,
    signingRequests: straight.apiRequests.signing,
    recordingRequests: straight.apiRequests.recording,
    ratioToCurl: Number((curlMs / browserMs).toFixed(2)),
    ...split,
    workerRequests: after.requests - before.requests,
    workerJsonBodyBytes: after.jsonBodyBytes - before.jsonBodyBytes,
    workerPayloadBytes: after.otherBodyBytes - before.otherBodyBytes,
    workerBodiesWithoutLength: after.bodiesWithoutLength - before.bodiesWithoutLength,
  }
}

export async function measureMultipart(baseURL, credentials, fileMiB = Number(process.env.BENCH_MULTIPART_MIB ?? 1024)) {
  const fileBytes = fileMiB * MiB
  const folder = mkdtempSync(join(tmpdir(), 'gallery-bench-multipart-'))
  const filePath = join(folder, `bench-${fileMiB}MiB.bin`)
  await writeRandomFile(filePath, fileBytes)
  const clients = uploadClients(folder, findChromium())
  const browser = await chromium.launch({ executablePath: clients.executablePath, args: CHROMIUM_ARGS })
  try {
    // 1. Straight through, each run followed by curl.
    const runs = []
    for (let run = 0; run < RUNS; run++) runs.push(await uploadThenCurl(browser, baseURL, credentials, filePath, fileBytes, clients.curl))
    const median = [...runs].sort((a, b) => a.ratioToCurl - b.ratioToCurl)[Math.floor(runs.length / 2)]

    // 2. Reload at about half, then resume.
    const resumed = await uploadsPage(browser, baseURL)
    const partSize = multipartPartSize(fileBytes)
    const parts = multipartPartCount(fileBytes)
    await resumed.page.getByLabel('Choose files to upload').setInputFiles(filePath)
    await resumed.storedAtLeast(Math.ceil(parts / 2))
    const storedBefore = new Set(resumed.parts.stored)
    const inFlight = [...resumed.parts.started].filter(partNumber => !storedBefore.has(partNumber))
    await resumed.page.reload()
    await resumed.page.locator('html[data-hydrated="true"]').waitFor()
    resumed.parts.stored = []
    await resumed.page.getByLabel('Choose files to upload').setInputFiles(filePath)
    await resumed.page.getByRole('button', { name: 'Resume upload' }).click()
    await waitForDone(resumed.page)
    const sentAgain = resumed.parts.stored.filter(partNumber => storedBefore.has(partNumber))
    await resumed.context.close()

    return {
      fileBytes,
      clientsScheduling: clients.scheduling,
      partSize,
      parts,
      ...median,
      browserMiBPerSecond: mibPerSecond(fileBytes, median.browserMs),
      curlMiBPerSecond: mibPerSecond(fileBytes, median.curlMs),
      workerPayloadBytes: Math.max(...runs.map(run => run.workerPayloadBytes)),
      workerBodiesWithoutLength: Math.max(...runs.map(run => run.workerBodiesWithoutLength)),
      runs: runs.map(({ browserMs, curlMs, ratioToCurl }) => ({ browserMs, curlMs, ratioToCurl })),
      resume: {
        partsStoredBeforeReload: storedBefore.size,
        partsInFlightAtReload: inFlight.length,
        partsSentAfterReload: resumed.parts.stored.length,
        bytesReSent: sentAgain.reduce((sum, partNumber) => sum + multipartPartLength(fileBytes, partSize, partNumber), 0),
      },
    }
  }
  finally {
    await browser.close()
    rmSync(folder, { recursive: true, force: true })
  }
}
