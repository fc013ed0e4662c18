import type { Response } from '@playwright/test'
import { previewPolicy } from '../../shared/utils/policy'
import { makePhotos } from '../support/photos'
import { expect, test, visit } from './fixtures'

const STORAGE_PATH = '/cdn-cgi/local/r2/s3/'

test('photo thumbnails load their small previews, never the originals; the full-size preview loads the original', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  const photos = await makePhotos(page, 3, { width: 1600, height: 1200 })
  const originalBytes = photos.reduce((sum, photo) => sum + photo.buffer.length, 0)
  await page.getByLabel('Choose files to upload').setInputFiles(photos)
  const statuses = page.getByTestId('queue-status')
  for (let i = 0; i < photos.length; i++) await expect(statuses.nth(i)).toHaveAttribute('data-status', 'done', { timeout: 60_000 })

  // A fresh page in the grid: every image it loads from storage, with the bytes each response carried. The grid this
  // page shows first must be done loading, or a late answer of its own would be counted as the fresh page's.
  await page.getByRole('button', { name: 'Grid view' }).click()
  const thumbnails = page.getByTestId('thumbnail')
  const allDecoded = async () => {
    await expect(thumbnails).toHaveCount(photos.length)
    for (const thumbnail of await thumbnails.all()) {
      await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBe(previewPolicy.maxSidePixels)
    }
  }
  await allDecoded()
  const images: Response[] = []
  page.on('response', (response) => {
    if (response.request().resourceType() === 'image' && new URL(response.url()).pathname.startsWith(STORAGE_PATH)) images.push(response)
  })
  await page.reload()
  await page.locator('html[data-hydrated="true"]').waitFor()
  await allDecoded()

  expect(images.map(response => new URL(response.url()).pathname)).toEqual(photos.map(() => expect.stringMatching(/\.jpg\.preview\.webp$/)))
  const sizes = await Promise.all(images.map(async response => (await response.request().sizes()).responseBodySize))
  for (const size of sizes) expect(size).toBeLessThanOrEqual(previewPolicy.maxBytes)
  const shownBytes = sizes.reduce((sum, size) => sum + size, 0)
  test.info().annotations.push({ type: 'bytes', description: `grid of ${photos.length} photos: ${shownBytes} B of previews; originals ${originalBytes} B` })
  // The originals are over 10 times heavier than what the grid transferred.
  expect(shownBytes * 10).toBeLessThan(originalBytes)

  // Opening one shows the original in full.
  await page.getByRole('button', { name: `Preview ${photos[0]!.name}` }).click()
  const full = page.getByRole('dialog').getByTestId('preview-image')
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete ? img.naturalWidth : 0)).toBe(1600)
})
