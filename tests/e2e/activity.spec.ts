import { makePng } from '../support/png'
import { expect, setProfileImageThroughUI, test, visit } from './fixtures'

const PDF = Buffer.from('%PDF-1.4\n% a tiny test document\n%%EOF\n')

test('recent activity names the files, groups repeats, refreshes itself and ignores revisits', async ({ signedInPage: page }) => {
  const items = page.getByTestId('activity-item')
  await expect(page.getByText('Nothing yet.')).toBeVisible()

  // Refreshes after an upload without a reload (its rows arrive through the audit queue, about a second later).
  await setProfileImageThroughUI(page, { name: 'me.png', mimeType: 'image/png', buffer: makePng(2, [1, 2, 3]) })
  await expect(items.filter({ hasText: 'Changed profile image' })).toHaveCount(1)

  // A file uploaded and downloaded three times from /uploads.
  await visit(page, '/uploads')
  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'résumé.pdf', mimeType: 'application/pdf', buffer: PDF })
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'done')
  for (let i = 0; i < 3; i++) {
    const downloading = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download résumé.pdf' }).click()
    await downloading
  }

  // Revisiting the profile signs the avatar's link again each time: none of that is new activity.
  await page.getByRole('link', { name: 'Profile', exact: true }).click()
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('avatar-image')).toBeVisible()

  // Delete last: once its row shows, every event before it has been written too (one queue, in order).
  await visit(page, '/uploads')
  // The DELETE goes out when the undo window closes; leaving before that would keep the file.
  const deleted = page.waitForResponse(response => response.request().method() === 'DELETE' && response.url().includes('/api/uploads/'), { timeout: 60_000 })
  await page.getByRole('button', { name: 'Delete résumé.pdf' }).click()
  await expect(page.getByTestId('upload-row')).toHaveCount(0)
  expect((await deleted).status()).toBe(200)
  await visit(page, '/profile')
  await expect(async () => {
    await page.reload()
    await expect(items.first()).toContainText('Deleted résumé.pdf', { timeout: 2000 })
  }).toPass({ timeout: 30_000 })

  const texts = (await page.getByTestId('activity-text').allTextContents()).map(text => text.trim())
  expect(texts).toEqual(['Deleted résumé.pdf', 'Downloaded résumé.pdf', 'Uploaded résumé.pdf', 'Viewed profile image', 'Changed profile image'])
  await expect(items.nth(1).getByTestId('activity-count')).toHaveText('×3')
  await expect(items.nth(3).getByTestId('activity-count')).toHaveCount(0)
})
