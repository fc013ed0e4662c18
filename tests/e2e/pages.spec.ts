import type { Page } from '@playwright/test'
import { expect, signUpThroughUI, test, visit } from './fixtures'
import { SIGNED_IN_PAGES, SIGNED_OUT_PAGES, watchConsole } from './page-checks'

async function checkPages(page: Page, paths: string[], problems: string[]) {
  for (const path of paths) {
    await visit(page, path)
    await page.waitForLoadState('networkidle')
    await expect(page, path).toHaveTitle(/^(\S.* · )?Gallery$/)
    await expect(page.locator('html'), path).toHaveAttribute('lang', 'en')
  }
  expect(problems).toEqual([])
}

test('every page has a title and lang="en" and logs no error or hydration mismatch, signed out and in', async ({ page, account }) => {
  const problems = watchConsole(page)
  await checkPages(page, SIGNED_OUT_PAGES, problems)
  await visit(page, '/login')
  await expect(page).toHaveTitle('Sign in · Gallery')

  await signUpThroughUI(page, account)
  await checkPages(page, SIGNED_IN_PAGES, problems)
  await visit(page, '/uploads')
  await expect(page).toHaveTitle('Uploads · Gallery')
})

test('/ says what the app is for and the server already renders the header for the session', async ({ page, account }) => {
  const signedOutHtml = await (await page.request.get('/')).text()
  expect(signedOutHtml).toContain('Create account')
  expect(signedOutHtml).not.toContain('data-testid="sign-out"')

  await signUpThroughUI(page, account)
  // The HTML as the server sends it, with the session cookie: the first paint, before any script runs.
  const signedInHtml = await (await page.request.get('/')).text()
  expect(signedInHtml).toContain('data-testid="sign-out"')
  expect(signedInHtml).not.toContain('Create account')

  const problems = watchConsole(page)
  await visit(page, '/')
  await expect(page.getByTestId('pitch')).toContainText('photos and files')
  await expect(page.getByRole('link', { name: 'Go to your profile' })).toBeVisible()
  // On `/` only the home link (Gallery) is the current page: neither nav link says or looks like it is.
  await expect(page.locator('header [aria-current="page"]')).toHaveText('Gallery')
  const uploads = page.getByRole('link', { name: 'Uploads', exact: true })
  const profile = page.getByRole('link', { name: 'Profile', exact: true })
  await expect(uploads).not.toHaveAttribute('aria-current', /.*/)
  await expect(profile).not.toHaveAttribute('aria-current', /.*/)
  expect(await uploads.evaluate(node => getComputedStyle(node).backgroundColor))
    .toBe(await profile.evaluate(node => getComputedStyle(node).backgroundColor))
  expect(problems).toEqual([])
})

test('the nav marks the current page, for screen readers and visibly', async ({ signedInPage: page }) => {
  const header = page.locator('header')
  const background = (name: string) => header.getByRole('link', { name, exact: true }).evaluate(node => getComputedStyle(node).backgroundColor)
  for (const [current, other] of [['Profile', 'Uploads'], ['Uploads', 'Profile']] as const) {
    await visit(page, `/${current.toLowerCase()}`)
    await expect(header.getByRole('link', { name: current, exact: true })).toHaveAttribute('aria-current', 'page')
    await expect(header.getByRole('link', { name: other, exact: true })).not.toHaveAttribute('aria-current', /.*/)
    expect(await background(current)).not.toBe(await background(other))
  }
})

test('links inside sentences are underlined', async ({ page }) => {
  await visit(page, '/login')
  const link = page.getByRole('link', { name: 'Create one' })
  expect(await link.evaluate(node => getComputedStyle(node).textDecorationLine)).toContain('underline')
  await visit(page, '/signup')
  expect(await page.locator('main p a').first().evaluate(node => getComputedStyle(node).textDecorationLine)).toContain('underline')
})

test('at 320 px no page scrolls sideways and Sign out is whole and works', async ({ page, account }) => {
  await page.setViewportSize({ width: 320, height: 700 })
  const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth)
  for (const path of SIGNED_OUT_PAGES) {
    await visit(page, path)
    expect(await scrollWidth(), path).toBeLessThanOrEqual(320)
  }
  await signUpThroughUI(page, account)
  for (const path of SIGNED_IN_PAGES) {
    await visit(page, path)
    expect(await scrollWidth(), path).toBeLessThanOrEqual(320)
    const signOut = page.getByRole('button', { name: 'Sign out' })
    await expect(signOut).toBeInViewport({ ratio: 1 })
    const box = (await signOut.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(320)
  }
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/login$/)
})

test('an unknown address is a 404 page with the header and a way home; JSON clients keep their 404 JSON', async ({ page, account }) => {
  for (const path of ['/nope', '/uploads/abc']) {
    const html = await page.request.get(path, { headers: { Accept: 'text/html' } })
    expect(html.status(), path).toBe(404)
    expect(await html.text(), path).toContain('Page not found')
    const json = await page.request.get(path, { headers: { Accept: 'application/json' } })
    expect(json.status(), path).toBe(404)
    expect(json.headers()['content-type'], path).toContain('application/json')
  }

  // The document itself answers 404 (Chromium reports that status on the console: expected here).
  const problems = watchConsole(page)
  const expectNotFoundPage = async (path: string) => {
    expect((await page.goto(path))!.status(), path).toBe(404)
    await page.locator('html[data-hydrated="true"]').waitFor()
    await expect(page, path).toHaveTitle('Page not found · Gallery')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
    await expect(page.getByTestId('error-page')).toContainText('There is no page at this address')
    await expect(page.locator('header').getByRole('link', { name: 'Gallery', exact: true })).toBeVisible()
  }
  await expectNotFoundPage('/nope')
  await expect(page.locator('header').getByRole('link', { name: 'Create account' })).toBeVisible()
  await page.getByRole('link', { name: 'Go to the home page' }).click()
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByTestId('pitch')).toBeVisible()

  // Signed in, the header is the signed-in one and its links leave the error page.
  await signUpThroughUI(page, account)
  await expectNotFoundPage('/uploads/abc')
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  await page.locator('header').getByRole('link', { name: 'Uploads', exact: true }).click()
  await expect(page).toHaveURL(/\/uploads$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uploads')
  expect(problems.filter(problem => !/status of 404 .*\/(nope|uploads\/abc)\)$/.test(problem))).toEqual([])
})
