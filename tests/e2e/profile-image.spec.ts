import type { Page } from '@playwright/test'
import { makePng } from '../support/png'
import { expect, newAccount, newPersonContext, signUpThroughUI, test } from './fixtures'

const imageA = makePng(2, [255, 0, 0])
const imageB = makePng(3, [0, 0, 255])

async function uploadThroughUI(page: Page, name: string, buffer: Buffer) {
  const signing = page.waitForResponse(response =>
    response.url().endsWith('/api/user/profile/image') && response.request().method() === 'POST')
  await page.getByLabel('Choose a profile image').setInputFiles({ name, mimeType: 'image/png', buffer })
  const signed = await (await signing).json() as { key: string }
  // The progress bar stays until the upload and the avatar refresh are both done.
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByText('Profile image updated').first()).toBeVisible()
  return signed.key
}

/** The bytes the avatar <img> is actually showing. */
async function avatarBytes(page: Page): Promise<Buffer> {
  const avatar = page.getByTestId('avatar-image')
  await expect(avatar).toBeVisible()
  const bytes = await avatar.evaluate(async (img: HTMLImageElement) => {
    await img.decode()
    return Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))
  })
  return Buffer.from(bytes)
}

async function avatarWidth(page: Page): Promise<number> {
  return page.getByTestId('avatar-image').evaluate(async (img: HTMLImageElement) => {
    await img.decode()
    return img.naturalWidth
  })
}

/** What a fresh signed download URL serves, fetched outside the page. */
async function bytesBehindDownloadUrl(page: Page): Promise<Buffer> {
  const info = await (await page.request.get('/api/user/profile/image')).json()
  expect(info.hasImage).toBe(true)
  return Buffer.from(await (await page.request.get(info.downloadUrl)).body())
}

test('upload, overwrite, reload, rename and delete the profile image', async ({ signedInPage: page, browser }) => {
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()

  const keyA = await uploadThroughUI(page, 'a.png', imageA)
  expect(await avatarWidth(page)).toBe(2)
  expect((await avatarBytes(page)).equals(imageA)).toBe(true)
  expect((await bytesBehindDownloadUrl(page)).equals(imageA)).toBe(true)

  const keyB = await uploadThroughUI(page, 'b.png', imageB)
  expect(keyB).toBe(keyA)
  expect(await avatarWidth(page)).toBe(3)
  expect((await avatarBytes(page)).equals(imageB)).toBe(true)
  expect((await bytesBehindDownloadUrl(page)).equals(imageB)).toBe(true)

  await page.reload()
  expect((await avatarBytes(page)).equals(imageB)).toBe(true)
  await expect(page.getByTestId('avatar-filename')).toHaveText('b.png')

  await page.getByLabel('Display name').fill('Renamed Person')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Name saved').first()).toBeVisible()
  await expect(page.getByTestId('profile-name')).toHaveText('Renamed Person')
  await page.reload()
  await expect(page.getByTestId('profile-name')).toHaveText('Renamed Person')
  expect((await avatarBytes(page)).equals(imageB)).toBe(true)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(page.getByTestId('avatar-image')).toHaveCount(0)
  expect(await (await page.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })

  // A second person sees no image and is handed a different key.
  const otherContext = await newPersonContext(browser)
  const other = await otherContext.newPage()
  await signUpThroughUI(other, newAccount('Second Person'))
  await expect(other.getByTestId('avatar-placeholder')).toBeVisible()
  expect(await (await other.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })
  const otherKey = await uploadThroughUI(other, 'mine.png', imageA)
  expect(otherKey).not.toBe(keyA)
  await otherContext.close()
})

test('a file that is not an allowed image is refused before anything is sent', async ({ signedInPage: page }) => {
  let signingRequests = 0
  page.on('request', (request) => {
    if (request.url().endsWith('/api/user/profile/image') && request.method() === 'POST') signingRequests++
  })
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<h1>x</h1>') })
  await expect(page.getByText('page.html is not a supported image').first()).toBeVisible()
  expect(signingRequests).toBe(0)
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
})

test('the download URL is reused while fresh: back on /profile, no new signing request', async ({ signedInPage: page }) => {
  await uploadThroughUI(page, 'a.png', imageA)
  let downloadSignings = 0
  page.on('request', (request) => {
    if (request.url().endsWith('/api/user/profile/image') && request.method() === 'GET') downloadSignings++
  })
  await page.getByRole('link', { name: 'Gallery' }).click()
  await expect(page).toHaveURL(/\/$/)
  await page.getByRole('link', { name: 'Go to your profile' }).click()
  await expect(page).toHaveURL(/\/profile$/)
  expect((await avatarBytes(page)).equals(imageA)).toBe(true)
  expect(downloadSignings).toBe(0)
})

test('cancelling a slow upload keeps the previous state and stores nothing', async ({ signedInPage: page }) => {
  // Throttle the browser's uploads so there is time to press Cancel mid-way.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 })

  const big = Buffer.concat([makePng(8, [1, 2, 3]), Buffer.alloc(3 * 1024 * 1024, 7)])
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big })
  await expect(page.getByTestId('upload-progress')).toBeVisible()
  await page.getByRole('button', { name: 'Cancel' }).click()

  await expect(page.getByText('Upload cancelled').first()).toBeVisible()
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  expect(await (await page.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })
})
