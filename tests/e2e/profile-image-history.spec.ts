import type { Page } from '@playwright/test'
import { makePng } from '../support/png'
import { expect, test } from './fixtures'

const first = makePng(2, [255, 0, 0])
const second = makePng(3, [0, 0, 255])

async function uploadThroughUI(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Choose a profile image').setInputFiles({ name, mimeType: 'image/png', buffer })
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('avatar-filename')).toHaveText(name)
}

/** The bytes the avatar <img> is actually showing. */
async function avatarBytes(page: Page): Promise<Buffer> {
  const avatar = page.getByTestId('avatar-image')
  await expect(avatar).toBeVisible()
  return Buffer.from(await avatar.evaluate(async (img: HTMLImageElement) => {
    await img.decode()
    return Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))
  }))
}

test('upload two images, restore the first from "Previous images", the avatar shows it', async ({ signedInPage: page }) => {
  const history = page.getByTestId('profile-image-history')
  await expect(history.getByTestId('history-empty')).toBeVisible()

  await uploadThroughUI(page, 'first.png', first)
  await uploadThroughUI(page, 'second.png', second)
  expect((await avatarBytes(page)).equals(second)).toBe(true)
  await expect(history.getByTestId('history-item')).toHaveCount(1)
  await expect(history.getByRole('img', { name: 'Earlier image first.png' })).toBeVisible()

  await history.getByRole('button', { name: 'Restore first.png' }).click()
  await expect(page.getByTestId('avatar-filename')).toHaveText('first.png')
  expect((await avatarBytes(page)).equals(first)).toBe(true)
  // The image it replaced is now the earlier one.
  await expect(history.getByRole('img', { name: 'Earlier image second.png' })).toBeVisible()
  await expect(history.getByTestId('history-item')).toHaveCount(1)

  // Delete asks first; "Keep it" keeps it.
  await history.getByRole('button', { name: 'Delete second.png' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).click()
  await expect(history.getByTestId('history-item')).toHaveCount(1)
  await history.getByRole('button', { name: 'Delete second.png' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Delete image' }).click()
  await expect(history.getByTestId('history-empty')).toBeVisible()
  expect((await (await page.request.get('/api/user/profile/image/versions')).json()).items).toEqual([])
})

test('"Remove image" keeps the image among the previous ones unless asked to delete them all', async ({ signedInPage: page }) => {
  const history = page.getByTestId('profile-image-history')
  await uploadThroughUI(page, 'first.png', first)
  await uploadThroughUI(page, 'second.png', second)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(history.getByTestId('history-item')).toHaveCount(2)

  await history.getByRole('button', { name: 'Restore second.png' }).click()
  await expect(page.getByTestId('avatar-filename')).toHaveText('second.png')
  expect((await avatarBytes(page)).equals(second)).toBe(true)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByLabel('Delete all previous images too').check()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(history.getByTestId('history-empty')).toBeVisible()
  expect((await (await page.request.get('/api/user/profile/image/versions')).json()).items).toEqual([])
})
