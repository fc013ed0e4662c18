import type { Page } from '@playwright/test'
import { uploadPolicy } from '../../shared/utils/policy'
import { expect, test, visit } from './fixtures'

async function uploadThroughUI(page: Page, names: string[]) {
  await page.getByLabel('Choose files to upload').setInputFiles(names.map(name => ({ name, mimeType: 'text/plain', buffer: Buffer.from(`${name}\n`) })))
  await expect(page.getByTestId('upload-row')).toHaveCount(names.length, { timeout: 30_000 })
}

const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? null)

test('Undo stays open while it holds the focus or the pointer, and Delete moves focus to the next file', async ({ signedInPage: page }) => {
  // The page's clock, so the undo window can pass without waiting for it.
  await page.clock.install()
  await visit(page, '/uploads')
  await uploadThroughUI(page, ['a.txt', 'b.txt', 'c.txt'])
  const files = page.getByRole('list', { name: 'Your files' })
  const deletes: string[] = []
  page.on('request', request => void (request.method() === 'DELETE' && deletes.push(request.url())))

  // Keyboard delete of the middle file: focus goes to the same button on the file after it, not to <body>.
  const [, middle, last] = await page.getByTestId('upload-name').allTextContents()
  await files.getByRole('button', { name: `Delete ${middle}` }).focus()
  await page.keyboard.press('Enter')
  await expect(files.getByText(middle!)).toHaveCount(0)
  await expect.poll(() => focusedLabel(page)).toBe(`Delete ${last}`)

  // Focus on Undo: the window passes several times over and the toast stays, with no DELETE sent.
  const undo = page.getByRole('button', { name: 'Undo' })
  await undo.focus()
  await page.clock.fastForward(uploadPolicy.undoDeleteMs * 3)
  await expect(page.getByText(`${middle} deleted`, { exact: true })).toBeVisible()
  expect(deletes).toEqual([])
  // The pointer over the toast holds it too, once the focus has left.
  await files.getByRole('button', { name: `Delete ${last}` }).focus()
  await undo.hover()
  await page.clock.fastForward(uploadPolicy.undoDeleteMs * 3)
  await expect(page.getByText(`${middle} deleted`, { exact: true })).toBeVisible()
  expect(deletes).toEqual([])
  await undo.click()
  await expect(files.getByText(middle!)).toHaveCount(1)

  // Left alone, the window closes and the DELETE goes out; deleting the last file leaves focus on the list's heading.
  await page.mouse.move(0, 0)
  for (const name of ['a.txt', 'b.txt', 'c.txt']) {
    await files.getByRole('button', { name: `Delete ${name}` }).focus()
    await page.keyboard.press('Enter')
  }
  await expect(page.getByTestId('uploads-empty')).toBeVisible()
  await expect.poll(() => focusedLabel(page)).toBe('Your files')
  const deleted = page.waitForResponse(response => response.request().method() === 'DELETE')
  await page.clock.fastForward(uploadPolicy.undoDeleteMs + 1000)
  await deleted
  await expect.poll(() => deletes.length).toBe(3)
})

test('Clear finished takes uploaded and cancelled rows and leaves focus on what is left', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  // One refused (empty), one uploaded, one cancelled while its URL was being signed (held back until then).
  let releaseHeld = () => {}
  await page.route('**/api/uploads/pre-signed-url', async (route) => {
    if ((route.request().postDataJSON() as { filename: string }).filename === 'held.txt') await new Promise<void>(resolve => (releaseHeld = resolve))
    await route.continue()
  })
  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
    { name: 'done.txt', mimeType: 'text/plain', buffer: Buffer.from('done\n') },
    { name: 'held.txt', mimeType: 'text/plain', buffer: Buffer.from('held\n') },
  ])
  const entries = page.getByTestId('queue-entry')
  await expect(entries.filter({ hasText: 'done.txt' }).getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 30_000 })
  await expect(entries.filter({ hasText: 'held.txt' }).getByTestId('queue-status')).toHaveAttribute('data-status', 'signing')
  await page.getByRole('button', { name: 'Cancel held.txt' }).click()
  releaseHeld()
  await expect(entries.filter({ hasText: 'held.txt' }).getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled')

  await page.getByRole('button', { name: 'Clear finished (2)' }).focus()
  await page.keyboard.press('Enter')
  await expect(entries).toHaveCount(1)
  await expect(entries).toContainText('empty.txt')
  await expect.poll(() => focusedLabel(page)).toBe('Uploads in progress')

  await page.getByRole('button', { name: 'Dismiss empty.txt' }).click()
  await expect(entries).toHaveCount(0)
})
