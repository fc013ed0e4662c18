import { makePng } from '../support/png'
import { avatarBytes, confirmCrop, expect, test } from './fixtures'

const first = makePng(2, [255, 0, 0])
const second = makePng(3, [0, 0, 255])

test('bytes that are not an image, PUT through a correctly signed URL, are refused by the confirm call; the previous image stays', async ({ signedInPage: page }) => {
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'first.png', mimeType: 'image/png', buffer: first })
  await confirmCrop(page)
  // The page re-encodes before upload: what it stored is what must stay.
  await expect(page.getByTestId('avatar-filename')).toHaveText(/^first\.(webp|jpg)$/)
  const storedFirstName = (await page.getByTestId('avatar-filename').textContent())!
  const storedFirst = await avatarBytes(page)

  // Whatever the page sends to storage (it may re-encode the image first), the body is swapped for text of the same
  // length: the signature (content-type, content-length) still holds, so only the server's confirm call can tell.
  let swapped = 0
  const storage = (url: URL) => url.pathname.startsWith('/cdn-cgi/local/r2/s3/')
  await page.route(storage, async (route) => {
    const request = route.request()
    if (request.method() !== 'PUT') return route.continue()
    swapped++
    const length = request.postDataBuffer()?.length ?? 0
    await route.continue({ postData: Buffer.from('x'.repeat(length)) })
  })
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: second })
  await confirmCrop(page)
  await expect(page.getByText('That file is not a real').first()).toBeVisible()
  expect(swapped).toBe(1)
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('avatar-filename')).toHaveText(storedFirstName)
  expect((await avatarBytes(page)).equals(storedFirst)).toBe(true)

  await page.unroute(storage)
  await page.reload()
  expect((await avatarBytes(page)).equals(storedFirst)).toBe(true)
})
