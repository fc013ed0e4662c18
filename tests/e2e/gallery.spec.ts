import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'
import { uploadPolicy } from '../../shared/utils/policy'
import { makePng } from '../support/png'
import { expect, test, throttleUploads, visit } from './fixtures'

const MiB = 1024 * 1024
const STORAGE = '**/cdn-cgi/local/r2/s3/**'
const DOWNLOAD_URLS = '/api/uploads/download-urls'

async function uploadThroughUI(page: Page, files: { name: string, mimeType: string, buffer: Buffer }[]) {
  await page.getByLabel('Choose files to upload').setInputFiles(files)
  const statuses = page.getByTestId('queue-status')
  for (let i = 0; i < files.length; i++) await expect(statuses.nth(i)).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
}

/** An <img> that really decoded: loaded, with a width. */
async function expectLoaded(image: Locator, width?: number) {
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBeGreaterThan(0)
  if (width) expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(width)
}

test('images show as thumbnails signed in one request per page, other files with a type icon; the view choice survives a reload', async ({ signedInPage: page }) => {
  const hydrationWarnings: string[] = []
  page.on('console', (message) => {
    if (/hydration/i.test(message.text())) hydrationWarnings.push(message.text())
  })
  await visit(page, '/uploads')
  await uploadThroughUI(page, [
    { name: 'red.png', mimeType: 'image/png', buffer: makePng(64, [255, 0, 0]) },
    { name: 'blue.png', mimeType: 'image/png', buffer: makePng(48, [0, 0, 255]) },
    { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') },
  ])

  const batches: { ids: string[] }[] = []
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === DOWNLOAD_URLS) batches.push(request.postDataJSON())
  })
  await page.reload()
  await page.locator('html[data-hydrated="true"]').waitFor()
  const rows = page.getByTestId('upload-row')
  await expect(rows).toHaveCount(3)
  const thumbnails = page.getByTestId('thumbnail')
  await expect(thumbnails).toHaveCount(2)
  await expectLoaded(rows.filter({ hasText: 'red.png' }).getByAltText('red.png'), 64)
  await expectLoaded(rows.filter({ hasText: 'blue.png' }).getByAltText('blue.png'), 48)
  for (const image of await thumbnails.all()) await expect(image).toHaveAttribute('loading', 'lazy')
  const pdf = rows.filter({ hasText: 'report.pdf' })
  await expect(pdf.getByTestId('type-icon')).toBeVisible()
  await expect(pdf).toContainText('PDF document')

  // One signing request for the page, naming exactly its two images.
  const imageIds = await Promise.all(['red.png', 'blue.png'].map(name => rows.filter({ hasText: name }).getAttribute('data-upload-id')))
  expect(batches).toHaveLength(1)
  expect(batches[0]!.ids.sort()).toEqual(imageIds.sort())

  // Grid view, kept across a reload, rendered as such by the server too (no hydration mismatch).
  const grid = page.getByRole('button', { name: 'Grid view' })
  await expect(grid).toHaveAttribute('aria-pressed', 'false')
  await grid.click()
  await expect(page.locator('[data-view="grid"]')).toBeVisible()
  await page.reload()
  await page.locator('html[data-hydrated="true"]').waitFor()
  await expect(page.locator('[data-view="grid"]')).toBeVisible()
  await expect(grid).toHaveAttribute('aria-pressed', 'true')
  await expectLoaded(rows.filter({ hasText: 'red.png' }).getByAltText('red.png'), 64)
  await expect(rows.filter({ hasText: 'report.pdf' }).getByTestId('type-icon')).toBeVisible()
  await page.getByRole('button', { name: 'List view' }).click()
  await expect(page.locator('[data-view="list"]')).toBeVisible()
  expect(hydrationWarnings).toEqual([])
})

test('the preview dialog shows an image, downloads it and deletes it; undo brings a deleted file back', async ({ signedInPage: page }) => {
  const red = makePng(32, [200, 10, 10])
  const notes = Buffer.from('notes\n')
  await visit(page, '/uploads')
  await uploadThroughUI(page, [{ name: 'red.png', mimeType: 'image/png', buffer: red }, { name: 'notes.txt', mimeType: 'text/plain', buffer: notes }])
  const deletes: { url: string, at: number }[] = []
  page.on('request', (request) => {
    if (request.method() === 'DELETE') deletes.push({ url: request.url(), at: Date.now() })
  })
  const files = page.getByRole('list', { name: 'Your files' })
  const rows = page.getByTestId('upload-row')
  const redId = await rows.filter({ hasText: 'red.png' }).getAttribute('data-upload-id')
  const notesId = await rows.filter({ hasText: 'notes.txt' }).getAttribute('data-upload-id')

  // Keyboard: focus the thumbnail and open the preview with Enter.
  await page.getByRole('button', { name: 'Preview red.png' }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading', { name: 'red.png' })).toBeVisible()
  await expectLoaded(dialog.getByTestId('preview-image'), 32)
  const downloading = page.waitForEvent('download')
  await dialog.getByRole('button', { name: 'Download' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('red.png')
  expect((await readFile((await download.path())!)).equals(red)).toBe(true)

  // Delete from the dialog: gone from the list at once, back with Undo, and no DELETE was ever sent for it.
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(dialog).toBeHidden()
  await expect(files.getByText('red.png')).toHaveCount(0)
  await expect(page.getByText('red.png deleted', { exact: true })).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(files.getByText('red.png')).toHaveCount(1)
  await expectLoaded(rows.filter({ hasText: 'red.png' }).getByAltText('red.png'), 32)

  // Delete notes.txt from the list and let the window pass: the DELETE goes out only then, and the bytes are gone.
  const { downloadUrl } = await (await page.request.get(`/api/uploads/${notesId}/download-url`)).json()
  const clickedAt = Date.now()
  await files.getByRole('button', { name: 'Delete notes.txt' }).click()
  await expect(files.getByText('notes.txt')).toHaveCount(0)
  await page.waitForResponse(response => response.request().method() === 'DELETE' && response.url().endsWith(`/api/uploads/${notesId}`),
    { timeout: uploadPolicy.undoDeleteMs + 30_000 })
  expect(deletes[0]!.at - clickedAt).toBeGreaterThanOrEqual(uploadPolicy.undoDeleteMs - 500)
  // The earlier download URL reads only the tombstone that holds the key against the upload URL.
  expect((await page.request.get(downloadUrl)).headers()['x-amz-meta-tombstone']).toBe('deleted')
  // red.png's window (undone, and opened earlier) has passed too: still no DELETE for it, and it still downloads.
  expect(deletes.map(entry => entry.url)).toEqual([expect.stringMatching(new RegExp(`/api/uploads/${notesId}$`))])
  expect((await page.request.get(`/api/uploads/${redId}/download-url`)).status()).toBe(200)

  // Leaving the page inside the window keeps the file.
  await files.getByRole('button', { name: 'Delete red.png' }).click()
  await expect(files.getByText('red.png')).toHaveCount(0)
  await page.reload()
  await page.locator('html[data-hydrated="true"]').waitFor()
  await expect(files.getByText('red.png')).toHaveCount(1)
  expect(deletes).toHaveLength(1)
  expect((await page.request.get(`/api/uploads/${redId}/download-url`)).status()).toBe(200)
})

test('the queue offers Retry only where it can help and names refused types in words', async ({ signedInPage: page }) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await visit(page, '/uploads')
  await expect(page.getByTestId('drop-zone')).toContainText('PNG, JPEG')
  await expect(page.getByTestId('drop-zone')).toContainText('PDF')

  const program = 'holiday-photos-viewer-setup.exe'
  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
    { name: program, mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00') },
  ])
  const entries = page.getByTestId('queue-entry')
  const empty = entries.filter({ hasText: 'empty.txt' })
  await expect(empty.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(empty.getByRole('alert')).toHaveText('The file is empty.')
  await expect(empty.getByRole('button', { name: 'Retry' })).toHaveCount(0)
  await expect(empty.getByRole('button', { name: 'Dismiss empty.txt' })).toBeVisible()

  const refused = entries.filter({ hasText: program })
  await expect(refused.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(refused.getByRole('alert')).toContainText('Windows program files cannot be uploaded here.')
  await expect(refused.getByRole('alert')).not.toContainText('application/')
  await expect(refused.getByRole('button', { name: 'Retry' })).toHaveCount(0)
  // At 390 px the failed row's name stays whole and readable, wrapped rather than cut to "h…".
  const name = refused.getByTestId('queue-name')
  await expect(name).toHaveText(program)
  const box = await name.evaluate(element => ({ overflow: element.scrollWidth - element.clientWidth, width: element.clientWidth }))
  expect(box.overflow).toBeLessThanOrEqual(0)
  expect(box.width).toBeGreaterThanOrEqual(150)

  // A network failure can pass: Retry is offered, and works once the network is back.
  await page.route(STORAGE, route => route.request().method() === 'PUT' ? route.abort('connectionreset') : route.continue())
  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'flaky.txt', mimeType: 'text/plain', buffer: Buffer.from('flaky') })
  const flaky = entries.filter({ hasText: 'flaky.txt' })
  await expect(flaky.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(flaky.getByRole('alert')).toContainText('Could not reach storage')
  await page.unroute(STORAGE)
  await flaky.getByRole('button', { name: 'Retry flaky.txt' }).click()
  await expect(flaky.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('upload-row')).toHaveCount(1)

  // The server's answers classify the same way: over quota is final, "too many requests" passes.
  const refusals = [
    { name: 'over-quota.txt', status: 413, message: 'Not enough storage left: 1.0 GB of 1.0 GB used, and this file needs 5 B. Delete some files first.', retry: false },
    { name: 'busy.txt', status: 429, message: 'Too many uploads in a short time. Try again in 60 seconds.', retry: true },
  ]
  for (const refusal of refusals) {
    await page.route('**/api/uploads/pre-signed-url', route => route.fulfill({ status: refusal.status, json: { statusCode: refusal.status, message: refusal.message } }))
    await page.getByLabel('Choose files to upload').setInputFiles({ name: refusal.name, mimeType: 'text/plain', buffer: Buffer.from('bytes') })
    const entry = entries.filter({ hasText: refusal.name })
    await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
    await expect(entry.getByRole('alert')).toHaveText(refusal.message)
    await expect(entry.getByRole('button', { name: `Retry ${refusal.name}` })).toHaveCount(refusal.retry ? 1 : 0)
    await page.unroute('**/api/uploads/pre-signed-url')
  }

  // "Clear finished" removes the uploaded entry and keeps the failures to read.
  await page.getByRole('button', { name: /Clear finished/ }).click()
  await expect(entries).toHaveCount(4)
  await expect(entries.filter({ hasText: 'flaky.txt' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: /Clear finished/ })).toHaveCount(0)
})

test('leaving the page (reload, close or app navigation) while an upload runs asks first; afterwards it does not', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  await throttleUploads(page, 128 * 1024)
  // Chromium shows a beforeunload dialog only on a page the person has interacted with.
  await page.getByRole('heading', { name: 'Uploads', exact: true }).click()
  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: randomBytes(3 * MiB) })
  const entry = page.getByTestId('queue-entry')
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')

  const dialogShown = page.waitForEvent('dialog')
  await page.close({ runBeforeUnload: true })
  const dialog = await dialogShown
  expect(dialog.type()).toBe('beforeunload')
  await dialog.dismiss()
  expect(page.isClosed()).toBe(false)

  // Going to another page of the app asks too: staying keeps the upload running, leaving cancels it.
  const asked: string[] = []
  page.once('dialog', (shown) => {
    asked.push(shown.type())
    void shown.dismiss()
  })
  await page.getByRole('link', { name: 'Profile' }).click()
  await expect.poll(() => asked).toEqual(['confirm'])
  await expect(page).toHaveURL(/\/uploads$/)
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')
  page.once('dialog', (shown) => {
    asked.push(shown.type())
    void shown.accept()
  })
  await page.getByRole('link', { name: 'Profile' }).click()
  await expect(page).toHaveURL(/\/profile$/)
  expect(asked).toEqual(['confirm', 'confirm'])
  await visit(page, '/uploads')
  await expect(page.getByTestId('uploads-empty')).toBeVisible()

  // Nothing running: no warning.
  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'small.txt', mimeType: 'text/plain', buffer: Buffer.from('small') })
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
  const prevented = await page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(event)
    return event.defaultPrevented
  })
  expect(prevented).toBe(false)
})
