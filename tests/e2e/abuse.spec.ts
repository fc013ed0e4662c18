import { makePng } from '../support/png'
import { expect, test, visit } from './fixtures'

const STORAGE = '**/cdn-cgi/local/r2/s3/**'

test('storage refusing a profile upload shows a clear error and changes nothing', async ({ signedInPage: page }) => {
  // A real refusal: the PUT reaches the local S3 endpoint with one signed header altered, so SigV4 fails there.
  await page.route(STORAGE, route => route.request().method() === 'PUT'
    ? route.continue({ headers: { ...route.request().headers(), 'x-amz-meta-uploaded-by': 'someone-else' } })
    : route.continue())
  const refused = page.waitForResponse(response => response.url().includes('/cdn-cgi/local/r2/s3/') && response.request().method() === 'PUT')
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: makePng(2, [1, 1, 1]) })
  await page.getByRole('dialog', { name: 'Crop your profile image' }).getByRole('button', { name: 'Use this crop' }).click()
  expect((await refused).status()).toBe(403)

  await expect(page.getByText('Upload failed').first()).toBeVisible()
  await expect(page.getByText('does not match what was announced').first()).toBeVisible()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  expect(await (await page.request.get('/api/user/profile/image')).json()).toEqual({ hasImage: false })
})

test('storage refusing a generic upload fails that entry with a reason and lists nothing', async ({ signedInPage: page }) => {
  await visit(page, '/uploads')
  await page.route(STORAGE, route => route.request().method() === 'PUT'
    ? route.continue({ headers: { ...route.request().headers(), 'content-type': 'text/html' } })
    : route.continue())
  await page.getByLabel('Choose files to upload').setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
  const entry = page.getByTestId('queue-entry')
  await expect(entry.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
  await expect(entry.getByRole('alert')).toContainText('does not match what was announced')
  await expect(page.getByTestId('uploads-empty')).toBeVisible()
  expect((await (await page.request.get('/api/uploads')).json()).items).toEqual([])
})

test('the profile page shows the person their own recent activity', async ({ signedInPage: page }) => {
  await expect(page.getByText('Nothing yet.')).toBeVisible()
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'a.png', mimeType: 'image/png', buffer: makePng(2, [5, 5, 5]) })
  await page.getByRole('dialog', { name: 'Crop your profile image' }).getByRole('button', { name: 'Use this crop' }).click()
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  const items = page.getByTestId('activity-item')
  // Events reach the list through the audit queue (about a second): reload until the avatar's download link shows.
  await expect(async () => {
    await page.reload()
    await expect(items.first()).toBeVisible()
    // Newest first: the upload link, then at least the download link the avatar used (a reload signs another).
    const actions = await items.evaluateAll(nodes => nodes.map(node => node.getAttribute('data-action')))
    expect(actions.at(-1)).toBe('put')
    expect(actions.slice(0, -1).length).toBeGreaterThanOrEqual(1)
    expect(actions.slice(0, -1).every(action => action === 'get')).toBe(true)
  }).toPass({ timeout: 30_000 })
  await expect(page.getByText('Changed profile image')).toBeVisible()
})

test('pages carry the security headers', async ({ page }) => {
  const response = await page.goto('/login')
  const headers = response!.headers()
  expect(headers['content-security-policy']).toContain(`frame-ancestors 'none'`)
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toBe('no-referrer')
})
