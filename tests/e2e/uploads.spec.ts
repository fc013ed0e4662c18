import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { uploadPolicy } from '../../shared/utils/policy'
import { makePng } from '../support/png'
import { expect, newAccount, newPersonContext, signUpThroughUI, test, throttleUploads, visit } from './fixtures'

const MiB = 1024 * 1024

test('upload three files at once, download each, delete one; another user sees none', async ({ signedInPage: page, browser }) => {
  const files = [
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain text notes\n'.repeat(100)) },
    // A real PNG: an image type whose bytes are not that image is refused at /complete.
    { name: 'photo é.png', mimeType: 'image/png', buffer: makePng(400, [200, 120, 40]) },
    { name: 'big.bin', mimeType: 'application/octet-stream', buffer: randomBytes(6 * MiB + 123) },
  ]
  await visit(page, '/uploads')
  await expect(page.getByTestId('uploads-empty')).toBeVisible()

  await page.getByLabel('Choose files to upload').setInputFiles(files)
  const statuses = page.getByTestId('queue-status')
  await expect(statuses).toHaveCount(3)
  for (let i = 0; i < 3; i++) await expect(statuses.nth(i)).toHaveAttribute('data-status', 'done', { timeout: 30_000 })

  const rows = page.getByTestId('upload-row')
  await expect(rows).toHaveCount(3)
  expect((await page.getByTestId('upload-name').allTextContents()).sort()).toEqual(files.map(file => file.name).sort())

  for (const file of files) {
    const row = rows.filter({ hasText: file.name })
    const downloading = page.waitForEvent('download')
    await row.getByRole('button', { name: `Download ${file.name}` }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe(file.name)
    expect((await readFile((await download.path())!)).equals(file.buffer)).toBe(true)
  }

  // The list survives a reload (it comes from the server, not the queue).
  await page.reload()
  await expect(rows).toHaveCount(3)

  const doomed = rows.filter({ hasText: 'notes.txt' })
  const uploadId = await doomed.getAttribute('data-upload-id')
  const { downloadUrl } = await (await page.request.get(`/api/uploads/${uploadId}/download-url`)).json()
  await doomed.getByRole('button', { name: 'Delete notes.txt' }).click()
  await expect(rows).toHaveCount(2)
  // The undo toast names the file: the list must not.
  await expect(page.getByRole('list', { name: 'Your files' }).getByText('notes.txt')).toHaveCount(0)
  // The DELETE goes out when the undo window closes; the earlier download URL then reads only the key's tombstone.
  await expect.poll(async () => (await page.request.get(downloadUrl)).headers()['x-amz-meta-tombstone'], { timeout: uploadPolicy.undoDeleteMs + 30_000 }).toBe('deleted')
  expect((await page.request.get(`/api/uploads/${uploadId}/download-url`)).status()).toBe(404)

  const otherContext = await newPersonContext(browser)
  const other = await otherContext.newPage()
  await signUpThroughUI(other, newAccount('Other Person'))
  await visit(other, '/uploads')
  await expect(other.getByTestId('uploads-empty')).toBeVisible()
  expect((await (await other.request.get('/api/uploads')).json()).items).toEqual([])
  expect((await other.request.get(`/api/uploads/${await rows.first().getAttribute('data-upload-id')}/download-url`)).status()).toBe(404)
  await otherContext.close()
})

test('a file that cannot be uploaded fails in the queue with a reason, and the others still upload', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
    { name: 'ok.txt', mimeType: 'text/plain', buffer: Buffer.from('ok') },
  ])
  const failed = page.getByTestId('queue-entry').filter({ hasText: 'empty.txt' })
  await expect(failed.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(failed.getByRole('alert')).toHaveText('The file is empty.')
  // An empty file stays empty however often it is sent: no Retry.
  await expect(failed.getByRole('button', { name: 'Retry' })).toHaveCount(0)
  await expect(page.getByTestId('upload-row')).toHaveCount(1)
})

test('refused files fail at once, without waiting for a turn while other uploads are on their way', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  await expect(page.getByTestId('drop-zone')).toContainText('files under 64.0 MB in one go, larger ones in parts (resumable) up to 5.0 GB')
  await throttleUploads(page, 32 * 1024)
  const slow = ['one.txt', 'two.txt', 'three.txt']
  // Enough uploads to take every slot of the queue, slow enough to still be sending at the end.
  await page.getByLabel('Choose files to upload').setInputFiles(slow.map(name => ({ name, mimeType: 'text/plain', buffer: randomBytes(MiB) })))
  const entries = page.getByTestId('queue-entry')
  for (const name of slow) await expect(entries.filter({ hasText: name }).getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')

  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
  ])
  const program = entries.filter({ hasText: 'setup.exe' })
  await expect(program.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(program.getByRole('alert')).toContainText('Windows program files cannot be uploaded here.')
  await expect(entries.filter({ hasText: 'empty.txt' }).getByRole('alert')).toHaveText('The file is empty.')
  for (const name of slow) await expect(entries.filter({ hasText: name }).getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')

  for (const name of slow) await page.getByRole('button', { name: `Cancel ${name}` }).click()
  for (const name of slow) await expect(entries.filter({ hasText: name }).getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled')
})

test('cancel a slow upload, then retry it to completion', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  const throttle = await throttleUploads(page, 256 * 1024)

  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: randomBytes(3 * MiB) })
  const entry = page.getByTestId('queue-entry')
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'uploading')
  await entry.getByRole('button', { name: 'Cancel' }).click()
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled')
  await expect(page.getByTestId('uploads-empty')).toBeVisible()

  await throttle.lift()
  await entry.getByRole('button', { name: 'Retry' }).click()
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
  await expect(page.getByTestId('upload-row')).toHaveCount(1)
})

test('the page shows how much of the storage quota is used, and updates after an upload', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  const usage = page.getByTestId('storage-usage')
  await expect(usage).toContainText('0 B of 1.0 GB used')
  await page.getByLabel('Choose files to upload').setInputFiles([{ name: 'two-mib.bin', mimeType: 'application/octet-stream', buffer: randomBytes(2 * MiB) }])
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 })
  await expect(usage).toContainText('2.0 MB of 1.0 GB used')
  await expect(usage.getByRole('progressbar')).toBeVisible()
})
