// The bytes a browser transfers to show a page of 20 photo uploads in the grid. Chromium uploads 20 phone-sized
// photos through /uploads (the page makes and sends their previews as people's browsers do), then loads the page
// afresh in the grid view and sums the image responses it gets from storage. Against it: the originals' bytes, which
// is what the same grid transferred when every thumbnail was a GET of the full object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs'
import { makePhotos } from '../../tests/support/photos.ts'
import { workerTotals } from './server.mjs'
import { BenchClient } from './session.mjs'

const PHOTOS = 20
const STORAGE_PATH = '/cdn-cgi/local/r2/s3/'

/** Through files on disk: Playwright takes at most 50 MB of in-memory files per call. */
async function uploadPhotos(page, photos, folder) {
  const paths = photos.map((photo) => {
    const path = join(folder, photo.name)
    writeFileSync(path, photo.buffer)
    return path
  })
  await page.getByLabel('Choose files to upload').setInputFiles(paths)
  const statuses = page.getByTestId('queue-status')
  for (let index = 0; index < photos.length; index++) {
    await statuses.nth(index).and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout: 600_000 })
    if (await statuses.nth(index).getAttribute('data-status') !== 'done') throw new Error(`photo ${index + 1} failed: ${await page.getByTestId('queue-entry').nth(index).innerText()}`)
  }
}

/** Loads /uploads in the grid and waits until every thumbnail decoded; resolves to the storage image responses. */
async function showGrid(page, count) {
  const images = []
  const collect = (response) => {
    if (response.request().resourceType() === 'image' && new URL(response.url()).pathname.startsWith(STORAGE_PATH)) images.push(response)
  }
  // Off the page first: an image the previous page was still loading must not be counted as this load's.
  await page.goto('about:blank')
  page.on('response', collect)
  await page.goto('/uploads')
  await page.locator('html[data-hydrated="true"]').waitFor()
  const thumbnails = page.getByTestId('thumbnail')
  await page.waitForFunction((expected) => {
    const loaded = [...document.querySelectorAll('[data-testid="thumbnail"]')].filter(img => img.complete && img.naturalWidth > 0)
    return loaded.length === expected
  }, count, { timeout: 120_000 })
  if (await thumbnails.count() !== count) throw new Error(`expected ${count} thumbnails, saw ${await thumbnails.count()}`)
  page.off('response', collect)
  return images
}

export async function measureThumbnails(baseURL) {
  const client = await new BenchClient(baseURL).signUp('Thumbnail User')
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
  const folder = mkdtempSync(join(tmpdir(), 'gallery-bench-photos-'))
  try {
    // Desktop width, so the page's 20 thumbnails are all in view and every lazy image loads.
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 4000 }, extraHTTPHeaders: { 'cf-connecting-ip': client.clientIp } })
    await context.addCookies([...client.cookies, ['gallery-view', 'grid']].map(([name, value]) => ({ name, value, url: baseURL })))
    const page = await context.newPage()
    await page.goto('/uploads')
    await page.locator('html[data-hydrated="true"]').waitFor()
    const photos = await makePhotos(page, PHOTOS)
    const before = await workerTotals(baseURL)
    await uploadPhotos(page, photos, folder)
    const after = await workerTotals(baseURL)
    const images = await showGrid(page, PHOTOS)
    const sizes = await Promise.all(images.map(response => response.request().sizes()))
    const { body: listed } = await client.request('/api/uploads')
    return {
      photos: PHOTOS,
      originalBytes: photos.reduce((sum, photo) => sum + photo.buffer.length, 0),
      largestOriginalBytes: Math.max(...photos.map(photo => photo.buffer.length)),
      withPreview: listed.items.filter(item => item.hasPreview).length,
      imageRequests: images.length,
      previewRequests: images.filter(response => response.url().split('?')[0].endsWith('.preview.webp')).length,
      previewBodyBytes: sizes.reduce((sum, size) => sum + size.responseBodySize, 0),
      previewTransferBytes: sizes.reduce((sum, size) => sum + size.responseBodySize + size.responseHeadersSize, 0),
      workerPayloadBytes: after.otherBodyBytes - before.otherBodyBytes,
    }
  }
  finally {
    await browser.close()
    rmSync(folder, { recursive: true, force: true })
  }
}
