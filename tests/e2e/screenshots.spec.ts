import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makePng } from '../support/png'
import { expect, setProfileImageThroughUI, signUpThroughUI, test, visit } from './fixtures'

// The README's screenshots of the real pages. Every E2E run makes them into the test's output folder and checks
// they are real PNGs; `npm run screenshots` (UPDATE_SCREENSHOTS=1) writes them into docs/screenshots.
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
const WIDTH = 1280

test('screenshots of the home, profile and uploads pages', async ({ page, account }, testInfo) => {
  const folder = process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs/screenshots') : testInfo.outputPath('screenshots')
  await mkdir(folder, { recursive: true })
  await page.setViewportSize({ width: WIDTH, height: 800 })
  const shots: string[] = []
  const shoot = async (name: string, fullPage = false) => {
    const path = join(folder, `${name}.png`)
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' })
    shots.push(path)
  }

  await visit(page, '/')
  await shoot('home')

  await signUpThroughUI(page, { ...account, name: 'Ada Lovelace', email: 'ada@example.com' })
  // Two images, so "Previous images" shows the first one.
  await setProfileImageThroughUI(page, { name: 'ada-2025.png', mimeType: 'image/png', buffer: makePng(96, [234, 179, 8]) })
  await setProfileImageThroughUI(page, { name: 'ada.png', mimeType: 'image/png', buffer: makePng(96, [99, 102, 241]) })
  await expect(page.getByTestId('history-item')).toHaveCount(1)
  await visit(page, '/uploads')
  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'harbour at dusk.png', mimeType: 'image/png', buffer: makePng(320, [240, 140, 60]) },
    { name: 'meadow.png', mimeType: 'image/png', buffer: makePng(320, [90, 170, 90]) },
    { name: 'trip notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Day 1: harbour walk.\nDay 2: the meadow.\n') },
  ])
  await expect(page.getByTestId('upload-row')).toHaveCount(3)
  await expect(page.locator('[data-testid="queue-status"]:not([data-status="done"])')).toHaveCount(0)
  await page.getByRole('button', { name: /^Clear finished/ }).click()
  await page.getByRole('button', { name: 'Grid view' }).click()
  await expect(page.locator('[data-view="grid"]')).toBeVisible()
  await expect(page.getByTestId('thumbnail')).toHaveCount(2)
  for (const thumbnail of await page.getByTestId('thumbnail').all()) {
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
  }
  await shoot('uploads', true)

  await visit(page, '/profile')
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  // Its events arrive through the audit queue: wait until the list shows the files.
  await expect(async () => {
    await page.reload()
    await expect(page.getByText('Uploaded trip notes.txt')).toBeVisible({ timeout: 2000 })
  }).toPass({ timeout: 30_000 })
  await shoot('profile', true)

  for (const path of shots) {
    const bytes = await readFile(path)
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), path).toBe(true)
    expect(bytes.readUInt32BE(16), path).toBe(WIDTH) // IHDR width
    expect(bytes.length, path).toBeGreaterThan(10_000)
  }
})
