import { randomBytes } from 'node:crypto'
import type { Request } from '@playwright/test'
import { expect, test, throttleUploads, visit } from './fixtures'

const MiB = 1024 * 1024
const isStoragePut = (request: Request) => request.method() === 'PUT' && new URL(request.url()).pathname.startsWith('/cdn-cgi/local/r2/s3/gallery/')

test('a PUT whose answer was lost: Retry sends through the same write-once URL, storage refuses it, and the file is stored once', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  const conditions: (string | undefined)[] = []
  const urls: string[] = []
  page.on('request', (request) => {
    if (!isStoragePut(request)) return
    conditions.push(request.headers()['if-none-match'])
    urls.push(request.url())
  })
  let answered = 0
  // The first PUT reaches storage and is stored, but its answer never reaches the page.
  await page.route(url => url.pathname.startsWith('/cdn-cgi/local/r2/s3/gallery/'), async (route) => {
    if (route.request().method() !== 'PUT' || answered++ > 0) return route.fallback()
    const stored = await route.fetch()
    expect(stored.status()).toBe(200)
    await route.abort('failed')
  })

  const file = { name: 'answer-lost.txt', mimeType: 'text/plain', buffer: Buffer.from('stored, but the answer was lost\n') }
  await page.getByLabel('Choose files to upload').setInputFiles(file)
  const entry = page.getByTestId('queue-entry')
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await entry.getByRole('button', { name: 'Retry' }).click()
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 })

  // Both PUTs carried the signed write condition, through one URL; the second was refused and counted as stored.
  expect(conditions).toEqual(['*', '*'])
  expect(new Set(urls).size).toBe(1)
  await expect(page.getByTestId('upload-row')).toHaveCount(1)
  const usage = await (await page.request.get('/api/uploads/usage')).json()
  expect(usage).toMatchObject({ usedBytes: file.buffer.length, pendingCount: 0 })
})

test('cancelling an upload gives its space back at once, before and after a reload', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  const usage = page.getByTestId('storage-usage')
  await expect(usage).toContainText('0 B of 1.0 GB used')
  const throttle = await throttleUploads(page, 256 * 1024)

  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'twenty.bin', mimeType: 'application/octet-stream', buffer: randomBytes(20 * MiB) })
  const entry = page.getByTestId('queue-entry')
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')
  // While it is being sent, its size is reserved against the quota.
  await expect(usage).toContainText('20.0 MB of 1.0 GB used')
  await entry.getByRole('button', { name: 'Cancel' }).click()
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled')
  await throttle.lift()

  await expect(usage).toContainText('0 B of 1.0 GB used')
  expect(await (await page.request.get('/api/uploads/usage')).json()).toMatchObject({ usedBytes: 0, pendingCount: 0 })
  await page.reload()
  await page.locator('html[data-hydrated="true"]').waitFor()
  await expect(usage).toContainText('0 B of 1.0 GB used')
  expect(await (await page.request.get('/api/uploads/usage')).json()).toMatchObject({ usedBytes: 0, pendingCount: 0 })
})
