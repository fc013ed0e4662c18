import { expect, signInThroughUI, test } from './fixtures'

test('delete account: confirmation with the password, then signed out for good', async ({ signedInPage: page, account }) => {
  await page.getByRole('button', { name: 'Delete account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  await expect(dialog).toBeVisible()

  // Keeping the account closes the dialog and changes nothing.
  await dialog.getByRole('button', { name: 'Keep my account' }).click()
  await expect(dialog).toBeHidden()

  await page.getByRole('button', { name: 'Delete account…' }).click()
  await dialog.getByLabel('Password').fill('not-the-password')
  await dialog.getByRole('button', { name: 'Delete everything' }).click()
  await expect(dialog).toContainText(/password/i)
  await expect(dialog).toBeVisible()

  await dialog.getByLabel('Password').fill(account.password)
  await dialog.getByRole('button', { name: 'Delete everything' }).click()
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByText('Your account and all your files were deleted', { exact: true })).toBeVisible()

  await signInThroughUI(page, account)
  await expect(page.getByRole('alert')).toContainText('Wrong email or password')
})
