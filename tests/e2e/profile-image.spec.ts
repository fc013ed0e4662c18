import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { profileImagePolicy } from '../../shared/utils/policy'
import { encodePng, makeNoisyPng, makePng, makeTwoColourPng } from '../support/png'
import { avatarBytes, confirmCrop, cropDialog, expect, newAccount, newPersonContext, signUpThroughUI, test, throttleUploads } from './fixtures'

const imageA = makePng(2, [255, 0, 0])
const imageB = makePng(3, [0, 0, 255])
const RED: [number, number, number] = [255, 0, 0]
const BLUE: [number, number, number] = [0, 0, 255]

async function uploadThroughUI(page: Page, name: string, buffer: Buffer) {
  const signing = page.waitForResponse(response =>
    response.url().endsWith('/api/user/profile/image') && response.request().method() === 'POST')
  await page.getByLabel('Choose a profile image').setInputFiles({ name, mimeType: 'image/png', buffer })
  await confirmCrop(page)
  const signed = await (await signing).json() as { key: string }
  // The progress bar stays until the upload and the avatar refresh are both done.
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByText('Profile image updated').first()).toBeVisible()
  return signed.key
}

/** The [r, g, b] at the centre of what the avatar <img> shows. */
async function avatarCentreColour(page: Page): Promise<number[]> {
  return page.getByTestId('avatar-image').evaluate(async (img: HTMLImageElement) => {
    const bitmap = await createImageBitmap(await (await fetch(img.src)).blob())
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!
    context.drawImage(bitmap, 0, 0)
    return Array.from(context.getImageData(bitmap.width >> 1, bitmap.height >> 1, 1, 1).data.slice(0, 3))
  })
}

function expectColourNear(actual: number[], expected: [number, number, number]) {
  for (const [i, value] of expected.entries()) expect(Math.abs(actual[i]! - value), `channel ${i} of ${actual}`).toBeLessThan(24)
}

/** Stored bytes are what the browser encoded after cropping: WebP (or JPEG where WebP encoding is unavailable). */
function expectWebpOrJpeg(bytes: Buffer) {
  const webp = bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  const jpeg = bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF
  expect(webp || jpeg).toBe(true)
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

  // The browser crops and re-encodes before upload, so what is stored is no longer the PNG itself: the avatar must
  // show exactly the stored bytes, and those must be image A's size and colour.
  const keyA = await uploadThroughUI(page, 'a.png', imageA)
  expect(await avatarWidth(page)).toBe(2)
  const storedA = await bytesBehindDownloadUrl(page)
  expectWebpOrJpeg(storedA)
  expect((await avatarBytes(page)).equals(storedA)).toBe(true)
  expectColourNear(await avatarCentreColour(page), RED)

  const keyB = await uploadThroughUI(page, 'b.png', imageB)
  expect(keyB).toBe(keyA)
  expect(await avatarWidth(page)).toBe(3)
  const storedB = await bytesBehindDownloadUrl(page)
  expectWebpOrJpeg(storedB)
  expect(storedB.equals(storedA)).toBe(false)
  expect((await avatarBytes(page)).equals(storedB)).toBe(true)
  expectColourNear(await avatarCentreColour(page), BLUE)

  await page.reload()
  expect((await avatarBytes(page)).equals(storedB)).toBe(true)
  // The stored file's name follows its new type.
  await expect(page.getByTestId('avatar-filename')).toHaveText(storedB[0] === 0xFF ? 'b.jpg' : 'b.webp')

  await page.getByLabel('Display name').fill('Renamed Person')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Name saved').first()).toBeVisible()
  await expect(page.getByTestId('profile-name')).toHaveText('Renamed Person')
  await page.reload()
  await expect(page.getByTestId('profile-name')).toHaveText('Renamed Person')
  expect((await avatarBytes(page)).equals(storedB)).toBe(true)

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
  const stored = await bytesBehindDownloadUrl(page)
  let downloadSignings = 0
  page.on('request', (request) => {
    if (request.url().endsWith('/api/user/profile/image') && request.method() === 'GET') downloadSignings++
  })
  await page.getByRole('link', { name: 'Gallery' }).click()
  await expect(page).toHaveURL(/\/$/)
  await page.getByRole('link', { name: 'Go to your profile' }).click()
  await expect(page).toHaveURL(/\/profile$/)
  expect((await avatarBytes(page)).equals(stored)).toBe(true)
  expect(downloadSignings).toBe(0)
})

test('cancelling a slow upload keeps the previous state and stores nothing', async ({ signedInPage: page }) => {
  // Throttle the browser's uploads so there is time to press Cancel mid-way.
  const throttle = await throttleUploads(page, 64 * 1024)

  // Only the cropped re-encoding is uploaded: random pixels keep even that large (WebP cannot compress noise).
  const big = encodePng(1000, 1000, randomBytes(1000 * 1000 * 3))
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big })
  await confirmCrop(page)
  await expect(page.getByTestId('upload-progress')).toBeVisible()
  await page.getByRole('button', { name: 'Cancel' }).click()

  await expect(page.getByText('Upload cancelled').first()).toBeVisible()
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await throttle.lift()
  expect(await (await page.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })
})

test('a renamed text file is refused before anything is sent, with a clear message', async ({ signedInPage: page }) => {
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.url().includes('/api/user/profile/image') || request.url().includes('/cdn-cgi/local/r2/s3/')) sent.push(`${request.method()} ${request.url()}`)
  })
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('my notes, not a picture\n') })
  await expect(page.getByText('notes.png could not be opened as an image').first()).toBeVisible()
  await expect(cropDialog(page)).toHaveCount(0)
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  expect(sent).toEqual([])
})

/** What the stored profile image decodes to, in the page: size, type, and the first column that is blue. */
async function storedImage(page: Page) {
  const { downloadUrl } = await (await page.request.get('/api/user/profile/image')).json()
  return page.evaluate(async (url) => {
    const blob = await (await fetch(url)).blob()
    const bitmap = await createImageBitmap(blob)
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!
    context.drawImage(bitmap, 0, 0)
    const row = context.getImageData(0, bitmap.height >> 1, bitmap.width, 1).data
    let firstBlue = -1
    for (let x = 0; x < bitmap.width && firstBlue < 0; x++) if (row[x * 4 + 2]! > row[x * 4]!) firstBlue = x
    return { width: bitmap.width, height: bitmap.height, type: blob.type, firstBlue }
  }, downloadUrl as string)
}

test('a large photo is cropped to a square and scaled down to at most 1024 px before upload', async ({ signedInPage: page }) => {
  const photo = makeTwoColourPng(2000, 1200, RED, BLUE)
  let uploadedBytes = -1
  page.on('request', (request) => {
    // The signed size, which storage enforces on the PUT.
    if (request.url().endsWith('/api/user/profile/image') && request.method() === 'POST') uploadedBytes = request.postDataJSON().fileSize
  })
  await uploadThroughUI(page, 'photo.png', photo)
  const stored = await storedImage(page)
  expect(stored.width).toBe(stored.height)
  expect(stored.width).toBe(1024)
  expect(['image/webp', 'image/jpeg']).toContain(stored.type)
  // The default crop is the centred 1200 × 1200 square, so red and blue meet in the middle.
  expect(Math.abs(stored.firstBlue - 512)).toBeLessThan(16)
  expect(uploadedBytes).toBeGreaterThan(0)
  expect(uploadedBytes).toBeLessThan(photo.length)
  expect(await avatarWidth(page)).toBe(1024)
})

test('the crop dialog works with the keyboard alone: arrows move, Enter confirms, Escape cancels', async ({ signedInPage: page }) => {
  const photo = makeTwoColourPng(2000, 1200, RED, BLUE)
  let signings = 0
  page.on('request', (request) => {
    if (request.url().endsWith('/api/user/profile/image') && request.method() === 'POST') signings++
  })
  const input = page.getByLabel('Choose a profile image')

  await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo })
  const selection = cropDialog(page).getByTestId('crop-selection')
  await expect(selection).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(cropDialog(page)).toHaveCount(0)
  expect(signings).toBe(0)
  expect(await (await page.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })

  await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo })
  await expect(selection).toBeFocused()
  await expect(cropDialog(page).getByRole('button', { name: 'Use this crop' })).toBeEnabled()
  const before = await selection.boundingBox()
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight')
  await expect.poll(async () => (await selection.boundingBox())!.x).toBeGreaterThan(before!.x + 20)
  await page.keyboard.press('Enter')
  await expect(cropDialog(page)).toHaveCount(0)
  await expect(page.getByText('Profile image updated').first()).toBeVisible()
  expect(signings).toBe(1)

  // Moved right, so the crop holds less of the red left half than the centred square would (boundary at 512).
  const stored = await storedImage(page)
  expect(stored.width).toBe(1024)
  expect(stored.firstBlue).toBeGreaterThan(0)
  expect(stored.firstBlue).toBeLessThan(480)
})

test('a phone photo larger than the upload limit becomes an avatar: the limit applies to the cropped image sent', async ({ page }) => {
  await signUpThroughUI(page, newAccount())
  const photo = makeNoisyPng(1600, 1440)
  expect(photo.length).toBeGreaterThan(6.5 * 1000 * 1000)
  expect(photo.length).toBeGreaterThan(profileImagePolicy.maxBytes)
  await expect(page.getByTestId('drop-zone').filter({ hasText: 'Choose an image' })).toContainText('pictures up to 40.0 MB, cropped and shrunk before upload')

  const signing = page.waitForResponse(response => response.url().endsWith('/api/user/profile/image') && response.request().method() === 'POST')
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: photo })
  await confirmCrop(page)
  const signed = await (await signing).json() as { contentType: string, fileSize: number }
  expect(signed.fileSize).toBeLessThanOrEqual(profileImagePolicy.maxBytes)
  await expect(page.getByText('Profile image updated').first()).toBeVisible()
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  await expect(page.getByText('Upload failed')).toHaveCount(0)
})
