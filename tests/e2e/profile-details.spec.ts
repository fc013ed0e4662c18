import { makePng, makeTwoColourPng } from '../support/png'
import { confirmCrop, cropDialog, expect, signUpThroughUI, test, visit } from './fixtures'

test('the avatar keeps the name the person chose, and removing it says so in a toast', async ({ signedInPage: page }) => {
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'My holiday photo.png', mimeType: 'image/png', buffer: makePng(4, [10, 120, 200]) })
  await confirmCrop(page)
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  // The stored image is re-encoded, so only the extension follows its new type.
  await expect(page.getByTestId('avatar-filename')).toHaveText(/^My holiday photo\.(webp|jpg)$/)

  await page.getByRole('button', { name: 'Remove image' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(page.getByTestId('avatar-placeholder')).toBeVisible()
  await expect(page.getByText('Profile image removed', { exact: true })).toBeVisible()
})

test('the crop square moves 10 px per arrow press (1 with Shift); phones get no keyboard instructions', async ({ page, account }) => {
  await signUpThroughUI(page, account)
  const wide = makeTwoColourPng(64, 32, [200, 40, 40], [40, 40, 200])
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: wide })
  const square = cropDialog(page).getByTestId('crop-selection')
  await expect(cropDialog(page).getByRole('button', { name: 'Use this crop' })).toBeEnabled()
  await expect(cropDialog(page)).toContainText('arrow keys')
  const x = () => square.evaluate((element: HTMLElement & { x: number }) => element.x)
  await square.focus()
  const start = await x()
  await page.keyboard.press('ArrowRight')
  await expect.poll(x).toBeCloseTo(start + 10, 3)
  await page.keyboard.press('Shift+ArrowLeft')
  await expect.poll(x).toBeCloseTo(start + 9, 3)
  await page.keyboard.press('Escape')
  await expect(cropDialog(page)).toHaveCount(0)

  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByLabel('Choose a profile image').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: wide })
  await expect(cropDialog(page)).toContainText('Drag the square to move it')
  await expect(cropDialog(page)).not.toContainText('arrow keys')
})

test('an empty sign-up form names every missing field; offline, errors say so in plain words', async ({ page, account }) => {
  await visit(page, '/signup')
  // With the pointer, as people do: the first field loses focus on the way to the button.
  await page.getByRole('button', { name: 'Create account' }).last().click()
  await expect(page.getByText('Enter your name')).toBeVisible()
  await expect(page.getByText('Enter a valid email address')).toBeVisible()
  await expect(page.getByText('Use at least 8 characters')).toBeVisible()

  await signUpThroughUI(page, account)
  await page.context().setOffline(true)
  await page.getByLabel('Display name').fill('Offline Person')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('You appear to be offline. Check your connection and try again.', { exact: true })).toBeVisible()
  await expect(page.getByText('Something went wrong')).toHaveCount(0)
  await page.context().setOffline(false)
})

test('after Restore, focus is on the restored image, now in use, not on the page', async ({ signedInPage: page }) => {
  for (const [name, colour] of [['first.png', [255, 0, 0]], ['second.png', [0, 0, 255]]] as const) {
    await page.getByLabel('Choose a profile image').setInputFiles({ name, mimeType: 'image/png', buffer: makePng(3, [...colour]) })
    await confirmCrop(page)
    await expect(page.getByTestId('avatar-filename')).toHaveText(new RegExp(`^${name.replace('.png', '')}\\.(webp|jpg)$`))
  }
  const history = page.getByTestId('profile-image-history')
  const restore = history.getByRole('button', { name: /^Restore first\./ })
  await restore.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('avatar-filename')).toHaveText(/^first\./)
  await expect(history.getByTestId('history-item').first()).toBeFocused()
  await expect(history.getByTestId('history-item').first().getByRole('img', { name: /^Current image first\./ })).toBeVisible()
})
