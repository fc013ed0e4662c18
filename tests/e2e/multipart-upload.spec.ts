import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { multipartPartCount, multipartPartLength, multipartPartSize } from '../../shared/utils/policy'
import type { Page } from '@playwright/test'
import { expect, test, throttleUploads, visit } from './fixtures'

const MiB = 1024 * 1024
const FILE_SIZE = 200 * MiB + 4321

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

/** A random file on disk (Playwright hands the browser a path, so its last-modified time stays the same on re-choosing). */
async function writeRandomFile(path: string, size: number) {
  const out = createWriteStream(path)
  for (let written = 0; written < size; written += MiB) {
    if (!out.write(randomBytes(Math.min(MiB, size - written)))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

test('a 200 MiB file uploads in parts, survives a reload midway by resuming, and downloads byte-identical', async ({ signedInPage: page }) => {
  test.setTimeout(900_000)
  const dir = mkdtempSync(join(tmpdir(), 'gallery-multipart-'))
  try {
    const path = join(dir, 'large video.mp4')
    await writeRandomFile(path, FILE_SIZE)
    const partCount = multipartPartCount(FILE_SIZE)
    // Part numbers storage accepted (200), in this page's life.
    let stored: number[] = []
    page.on('response', (response) => {
      const url = new URL(response.url())
      if (response.request().method() === 'PUT' && url.searchParams.has('partNumber') && response.status() === 200) {
        stored.push(Number(url.searchParams.get('partNumber')))
      }
    })

    await visit(page, '/uploads')
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    const entry = page.getByTestId('queue-entry')
    await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading', { timeout: 60_000 })

    // Pause stops sending; resume carries on.
    await entry.getByRole('button', { name: 'Pause large video.mp4' }).click()
    await expect(entry.getByText('Paused')).toBeVisible()
    await entry.getByRole('button', { name: 'Resume large video.mp4' }).click()
    await expect(entry.getByText('Sending in parts')).toBeVisible()

    // Reload once about a third of the parts are in storage.
    await expect.poll(() => stored.length, { timeout: 300_000 }).toBeGreaterThanOrEqual(Math.ceil(partCount / 3))
    const uploadId = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith('gallery.multipart:'))?.[1])
    expect(uploadId).toBeTruthy()
    await page.reload()
    await page.locator('html[data-hydrated="true"]').waitFor()

    stored = []
    // Finished parts are reported to the server in batches; the rest wait in localStorage, which survives the reload.
    const keptLocally = await page.evaluate(id => Object.keys(JSON.parse(localStorage.getItem(`gallery.multipart-parts:${id}`) ?? '{}')).map(Number), uploadId)
    // The recorded parts exactly as the page learns them when the file is chosen again.
    const state = page.waitForResponse(response => response.url().endsWith(`/api/uploads/multipart/${uploadId}`) && response.request().method() === 'GET')
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    const before = await (await state).json() as { parts: { partNumber: number }[] }
    const recorded = new Set([...before.parts.map(part => part.partNumber), ...keptLocally])
    expect(recorded.size).toBeGreaterThanOrEqual(Math.ceil(partCount / 3) - 4)
    expect(recorded.size).toBeLessThan(partCount)
    const offer = page.getByTestId('resume-offer')
    const recordedBytes = [...recorded].reduce((sum, partNumber) => sum + multipartPartLength(FILE_SIZE, multipartPartSize(FILE_SIZE), partNumber), 0)
    await expect(offer).toContainText(`stopped at ${Math.floor((recordedBytes / FILE_SIZE) * 100)} %`)
    await offer.getByRole('button', { name: 'Resume upload' }).click()
    await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 600_000 })

    // Only the parts neither the server nor the page had an ETag for went to storage again.
    const missing = Array.from({ length: partCount }, (_, index) => index + 1).filter(partNumber => !recorded.has(partNumber))
    expect([...new Set(stored)].sort((a, b) => a - b)).toEqual(missing)
    expect(await page.evaluate(() => Object.keys(localStorage).filter(key => key.startsWith('gallery.multipart')))).toEqual([])

    const row = page.getByTestId('upload-row').filter({ hasText: 'large video.mp4' })
    const downloading = page.waitForEvent('download')
    await row.getByRole('button', { name: 'Download large video.mp4' }).click()
    const download = await downloading
    expect(await sha256((await download.path())!)).toBe(await sha256(path))
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a part storage fails is retried alone and the file still completes', async ({ signedInPage: page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gallery-multipart-'))
  try {
    const path = join(dir, 'retry.bin')
    await writeRandomFile(path, 65 * MiB)
    const attempts = new Map<number, number>()
    let recordRequests = 0
    page.on('request', (request) => {
      if (request.method() === 'PUT' && /\/api\/uploads\/multipart\/[^/]+\/parts(\/\d+)?$/.test(request.url())) recordRequests++
    })
    // Storage answers the first PUT of part 2 with a 500; everything else goes through.
    await page.route(url => url.searchParams.has('partNumber'), async (route) => {
      const partNumber = Number(new URL(route.request().url()).searchParams.get('partNumber'))
      attempts.set(partNumber, (attempts.get(partNumber) ?? 0) + 1)
      if (partNumber === 2 && attempts.get(partNumber) === 1) return route.fulfill({ status: 500, body: '<Error><Code>InternalError</Code></Error>' })
      return route.continue()
    })
    await visit(page, '/uploads')
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 300_000 })
    const partCount = multipartPartCount(65 * MiB)
    expect([...attempts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: partCount }, (_, index) => index + 1))
    expect(attempts.get(2)).toBe(2)
    expect([...attempts].filter(([partNumber]) => partNumber !== 2).every(([, count]) => count === 1)).toBe(true)
    // Finished parts are reported to the server 8 at a time (and the rest before completing), not one request each.
    expect(recordRequests).toBeGreaterThanOrEqual(1)
    expect(recordRequests).toBeLessThanOrEqual(Math.ceil(partCount / 8) + 1)
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('cancelling a large upload aborts it: nothing is left to resume', async ({ signedInPage: page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gallery-multipart-'))
  try {
    const path = join(dir, 'cancel.bin')
    await writeRandomFile(path, 65 * MiB)
    await visit(page, '/uploads')
    let partsStored = 0
    page.on('response', (response) => {
      if (response.request().method() === 'PUT' && new URL(response.url()).searchParams.has('partNumber') && response.status() === 200) partsStored++
    })
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    await expect.poll(() => partsStored, { timeout: 120_000 }).toBeGreaterThanOrEqual(1)
    const uploadId = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith('gallery.multipart:'))?.[1])
    expect(uploadId).toBeTruthy()
    const aborted = page.waitForResponse(response => response.url().endsWith(`/api/uploads/multipart/${uploadId}`) && response.request().method() === 'DELETE')
    await page.getByRole('button', { name: 'Cancel cancel.bin' }).click()
    expect((await aborted).status()).toBe(200)
    await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled')
    expect((await page.request.get(`/api/uploads/multipart/${uploadId}`)).status()).toBe(404)
    expect(await page.evaluate(() => Object.keys(localStorage).filter(key => key.startsWith('gallery.multipart')))).toEqual([])
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

/** The value the queue's progress bar shows now (0–100), or null when it shows none. */
const barValue = (page: Page) => page.getByTestId('queue-entry').getByRole('progressbar').getAttribute('aria-valuenow', { timeout: 1_000 }).then(Number, () => null)

test('pausing lets the parts on their way finish: the bar never goes back, and the row says only "Paused"', async ({ signedInPage: page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gallery-multipart-'))
  try {
    const path = join(dir, 'pause.bin')
    await writeRandomFile(path, 65 * MiB)
    await visit(page, '/uploads')
    const throttle = await throttleUploads(page, 8 * MiB)
    // Every value the bar shows, sampled in the page far more often than it changes.
    await page.evaluate(() => {
      const samples: number[] = []
      Object.assign(window, { barSamples: samples })
      setInterval(() => {
        const value = document.querySelector('[data-testid="queue-entry"] [role="progressbar"]')?.getAttribute('aria-valuenow')
        if (value) samples.push(Number(value))
      }, 20)
    })
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    const entry = page.getByTestId('queue-entry')
    const status = entry.getByTestId('queue-status')
    // Part of the way in, with no part finished yet: everything shown is bytes of parts in flight.
    await expect.poll(() => barValue(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3)
    await entry.getByRole('button', { name: 'Pause pause.bin' }).click()
    await expect(status).toHaveText('Paused', { timeout: 60_000 })
    await expect(entry).not.toContainText('Uploading')
    const paused = await barValue(page)
    expect(paused).toBeGreaterThanOrEqual(3)
    await entry.getByRole('button', { name: 'Resume pause.bin' }).click()
    await expect(entry.getByText('Sending in parts')).toBeVisible()
    await throttle.lift()
    await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 })

    const samples = await page.evaluate(() => (window as unknown as { barSamples: number[] }).barSamples)
    expect(samples.length).toBeGreaterThan(10)
    expect(samples.filter((value, index) => index > 0 && value < samples[index - 1]!)).toEqual([])
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('an upload in parts stopped by a reload is listed with how far it got, and Discard gives its space back', async ({ signedInPage: page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gallery-multipart-'))
  try {
    const fileSize = 65 * MiB
    const path = join(dir, 'disk image.bin')
    await writeRandomFile(path, fileSize)
    await visit(page, '/uploads')
    const usage = page.getByTestId('storage-usage')
    await expect(usage).toContainText('0 B of 1.0 GB used')
    await throttleUploads(page, 8 * MiB)
    await page.getByLabel('Choose files to upload').setInputFiles(path)
    const entry = page.getByTestId('queue-entry')
    // The reservation shows as soon as the upload starts, as it will after a reload.
    await expect(usage).toContainText('65.0 MB of 1.0 GB used')
    await expect.poll(() => barValue(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3)
    // Paused, the parts that finished are reported to the server: the list below can say how far it got.
    await entry.getByRole('button', { name: 'Pause disk image.bin' }).click()
    await expect(entry.getByTestId('queue-status')).toHaveText('Paused', { timeout: 60_000 })
    const uploadId = await page.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith('gallery.multipart:'))?.[1])
    expect(uploadId).toBeTruthy()
    const { parts } = await (await page.request.get(`/api/uploads/multipart/${uploadId}`)).json() as { parts: { partNumber: number }[] }
    expect(parts.length).toBeGreaterThan(0)
    const storedBytes = parts.reduce((sum, part) => sum + multipartPartLength(fileSize, multipartPartSize(fileSize), part.partNumber), 0)

    await page.reload()
    await page.locator('html[data-hydrated="true"]').waitFor()
    const row = page.getByTestId('interrupted-upload')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText('disk image.bin')
    await expect(row).toContainText(`stopped at ${Math.floor((storedBytes / fileSize) * 100)} %: choose the file again to resume, or Discard`)
    await expect(usage).toContainText('65.0 MB of 1.0 GB used')

    await row.getByRole('button', { name: 'Discard disk image.bin' }).click()
    await expect(row).toHaveCount(0)
    await expect(usage).toContainText('0 B of 1.0 GB used')
    expect((await page.request.get(`/api/uploads/multipart/${uploadId}`)).status()).toBe(404)
    expect(await page.evaluate(() => Object.keys(localStorage).filter(key => key.startsWith('gallery.multipart')))).toEqual([])
    await page.reload()
    await page.locator('html[data-hydrated="true"]').waitFor()
    await expect(usage).toContainText('0 B of 1.0 GB used')
    await expect(page.getByTestId('interrupted-upload')).toHaveCount(0)
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
