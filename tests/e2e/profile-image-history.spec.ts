import type { Page } from '@playwright/test'
import { makePng } from '../support/png'
import { avatarBytes, confirmCrop, expect, test } from './fixtures'

const first = makePng(2, [255, 0, 0])
const second = makePng(3, [0, 0, 255])

/**
 * Uploads through the page (crop step confirmed) and returns what was stored: the page re-encodes the image, so the
 * stored name ends in its real type (`first.webp`) and the stored bytes are the avatar's, not `buffer`.
 */
async function uploadThroughUI(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Choose a profile image').setInputFiles({ name, mimeType: 'image/png', buffer })
  await confirmCrop(page)
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  const stem = name.replace(/\.png$/, '')
  await expect(page.getByTestId('avatar-filename')).toHaveText(new RegExp(`^${stem}\\.(webp|jpg)$`))
  return { name: (await page.getByTestId('avatar-filename').textContent())!, bytes: await avatarBytes(page) }
}

test('upload two images, restore the first from "Previous images", the avatar shows it', async ({ signedInPage: page }) => {
  const history = page.getByTestId('profile-image-history')
  await expect(history.getByTestId('history-empty')).toBeVisible()

  const storedFirst = await uploadThroughUI(page, 'first.png', first)
  const storedSecond = await uploadThroughUI(page, 'second.png', second)
  expect(storedFirst.bytes.equals(storedSecond.bytes)).toBe(false)
  await expect(history.getByTestId('history-item')).toHaveCount(1)
  await expect(history.getByRole('img', { name: `Earlier image ${storedFirst.name}` })).toBeVisible()

  await history.getByRole('button', { name: `Restore ${storedFirst.name}` }).click()
  await expect(page.getByTestId('avatar-filename')).toHaveText(storedFirst.name)
  expect((await avatarBytes(page)).equals(storedFirst.bytes)).toBe(true)
  // The image it replaced is now an earlier one; the restored one stays in the history, on top.
  await expect(history.getByRole('img', { name: `Earlier image ${storedSecond.name}` })).toBeVisible()
  await expect(history.getByTestId('history-item')).toHaveCount(2)
  // … marked as the one in use, with nothing to restore.
  const onTop = history.getByTestId('history-item').first()
  await expect(onTop.getByRole('img', { name: `Current image ${storedFirst.name}` })).toBeVisible()
  await expect(onTop.getByTestId('history-current')).toHaveText('In use')
  await expect(onTop.getByRole('button', { name: `Restore ${storedFirst.name}` })).toHaveCount(0)

  // Delete asks first; "Keep it" keeps it.
  await history.getByRole('button', { name: `Delete ${storedSecond.name}` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).click()
  await expect(history.getByTestId('history-item')).toHaveCount(2)
  await history.getByRole('button', { name: `Delete ${storedSecond.name}` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete image' }).click()
  await expect(history.getByTestId('history-item')).toHaveCount(1)
  await history.getByRole('button', { name: `Delete ${storedFirst.name}` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete image' }).click()
  await expect(history.getByTestId('history-empty')).toBeVisible()
  // Deleting the copy of the current image leaves the avatar as it is.
  expect((await avatarBytes(page)).equals(storedFirst.bytes)).toBe(true)
  expect((await (await page.request.get('/api/user/profile/image/versions')).json()).items).toEqual([])
})

test('"Remove image" keeps the image among the previous ones unless asked to delete them all', async ({ signedInPage: page }) => {
  const history = page.getByTestId('profile-image-history')
  await uploadThroughUI(page, 'first.png', first)
  const storedSecond = await uploadThroughUI(page, 'second.png', second)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(history.getByTestId('history-item')).toHaveCount(2)

  await history.getByRole('button', { name: `Restore ${storedSecond.name}` }).click()
  await expect(page.getByTestId('avatar-filename')).toHaveText(storedSecond.name)
  expect((await avatarBytes(page)).equals(storedSecond.bytes)).toBe(true)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByLabel('Delete all previous images too').check()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(history.getByTestId('history-empty')).toBeVisible()
  expect((await (await page.request.get('/api/user/profile/image/versions')).json()).items).toEqual([])
})
