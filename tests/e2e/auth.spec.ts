import { expect, signInThroughUI, test, visit } from './fixtures'

test('sign up, sign out, guard, sign in', async ({ signedInPage: page, account }) => {
  await expect(page.getByTestId('profile-name')).toHaveText(account.name)

  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/login/)

  await page.goto('/profile')
  await expect(page).toHaveURL(/\/login\?redirect=/)

  await signInThroughUI(page, account)
  await expect(page).toHaveURL(/\/profile$/)
  await expect(page.getByTestId('profile-name')).toHaveText(account.name)

  // Signed-in users are sent away from the guest pages.
  await page.goto('/login')
  await expect(page).toHaveURL(/\/profile$/)
})

test('a wrong password shows an error and stays on /login', async ({ signedInPage: page, account }) => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/login/)

  await signInThroughUI(page, { email: account.email, password: 'not-the-password' })
  await expect(page.getByRole('alert')).toContainText('Wrong email or password')
  await expect(page).toHaveURL(/\/login/)
})

test('the sign-up form validates inline before submitting', async ({ page }) => {
  await visit(page, '/signup')
  await page.getByLabel('Email').fill('not-an-email')
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByText('Enter your name')).toBeVisible()
  await expect(page.getByText('Enter a valid email address')).toBeVisible()
  await expect(page.getByText('Use at least 8 characters')).toBeVisible()
  await expect(page).toHaveURL(/\/signup$/)
})

test('signing up twice with one email explains the problem', async ({ page, account, baseURL }) => {
  const first = await page.request.post('/api/auth/sign-up/email', { data: account, headers: { origin: baseURL! } })
  expect(first.ok()).toBe(true)
  await page.context().clearCookies()
  await visit(page, '/signup')
  await page.getByLabel('Name').fill(account.name)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('alert')).toContainText(/already exists/i)
  await expect(page).toHaveURL(/\/signup$/)
})
