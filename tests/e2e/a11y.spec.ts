import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { makePng } from '../support/png'
import { cropDialog, expect, setProfileImageThroughUI, signUpThroughUI, test, visit } from './fixtures'
import { watchConsole } from './page-checks'

const VARIANTS = [
  { width: 1280, colorScheme: 'light' },
  { width: 1280, colorScheme: 'dark' },
  { width: 320, colorScheme: 'light' },
  { width: 320, colorScheme: 'dark' },
] as const

/** Serious and critical axe findings on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Colours are read mid-animation otherwise (a dialog still fading in fails contrast): let finite animations end.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter(animation => animation.effect?.getTiming().iterations !== Infinity)
    .map(animation => animation.finished.catch(() => null))))
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
    .map(violation => `${page.url()} ${violation.id}: ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`)
}

type Variant = typeof VARIANTS[number]

/** Checks each page in each width and colour scheme; a page may first put itself in a state worth checking. */
async function auditPages(page: Page, pages: { path: string, prepare?: (variant: Variant) => Promise<void> }[]) {
  const problems = watchConsole(page)
  const findings: string[] = []
  for (const variant of VARIANTS) {
    const { width, colorScheme } = variant
    await page.setViewportSize({ width, height: 900 })
    await page.emulateMedia({ colorScheme })
    for (const { path, prepare } of pages) {
      await visit(page, path)
      await page.waitForLoadState('networkidle')
      // The colour scheme really applies (Nuxt UI follows the system's): the dark run is not the light one again.
      if (colorScheme === 'dark') await expect(page.locator('html')).toHaveClass(/\bdark\b/)
      else await expect(page.locator('html')).not.toHaveClass(/\bdark\b/)
      await prepare?.(variant)
      findings.push(...(await seriousViolations(page)).map(line => `${width}px ${colorScheme}: ${line}`))
    }
  }
  expect(findings).toEqual([])
  // A refused sign-in is a 401 response and the unknown page a 404, which Chromium reports on the console: expected.
  expect(problems.filter(problem => !/Failed to load resource: .* status of 401 .*\/login\)$/.test(problem)
    && !/Failed to load resource: .* status of 404 .*\/nope\)$/.test(problem))).toEqual([])
}

test('signed out: no serious or critical axe violation, light and dark, 1280 and 320 px', async ({ page }) => {
  await auditPages(page, [
    { path: '/' },
    { path: '/signup' },
    { path: '/login' },
    { path: '/nope' },
    {
      // Error text as people meet it: the form's own messages, then the server's answer.
      path: '/login',
      prepare: async ({ width, colorScheme }) => {
        await page.getByRole('button', { name: 'Sign in' }).last().click()
        await expect(page.getByText('Enter a valid email address')).toBeVisible()
        // The server's refusal once per colour scheme: sign-in allows 3 attempts per 10 s from one address.
        if ((width === 1280) !== (colorScheme === 'light')) return
        await page.getByLabel('Email').fill('nobody@example.com')
        await page.getByLabel('Password').fill('not-the-password')
        await page.getByRole('button', { name: 'Sign in' }).last().click()
        await expect(page.getByTestId('form-error')).toBeVisible()
      },
    },
  ])
})

test('signed in: no serious or critical axe violation, light and dark, 1280 and 320 px', async ({ page, account }) => {
  // 32 page loads and axe runs after a sign-up and three uploads: ~3 min on a busy 2-core machine, so 3× the default.
  test.slow()
  await signUpThroughUI(page, account)
  await setProfileImageThroughUI(page, { name: 'me.png', mimeType: 'image/png', buffer: makePng(8, [200, 120, 40]) })
  await expect(page.getByTestId('avatar-image')).toBeVisible()
  await visit(page, '/uploads')
  await page.getByLabel('Choose files to upload').setInputFiles([
    { name: 'sunset.png', mimeType: 'image/png', buffer: makePng(16, [250, 150, 50]) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('some notes\n') },
  ])
  await expect(page.getByTestId('upload-row')).toHaveCount(2)

  await auditPages(page, [
    { path: '/' },
    { path: '/profile' },
    {
      path: '/profile',
      // The crop step open on a newly chosen image.
      prepare: async () => {
        await page.getByLabel('Choose a profile image').setInputFiles({ name: 'next.png', mimeType: 'image/png', buffer: makePng(8, [40, 160, 90]) })
        await expect(cropDialog(page).getByRole('button', { name: 'Use this crop' })).toBeEnabled()
      },
    },
    {
      path: '/profile',
      prepare: async () => {
        await page.getByRole('button', { name: 'Remove image' }).click()
        await expect(page.getByRole('dialog', { name: 'Remove your profile image?' })).toBeVisible()
      },
    },
    {
      path: '/uploads',
      // A failed queue row next to the listed files (an empty file is refused before anything is sent).
      prepare: async () => {
        await expect(page.getByTestId('upload-row')).toHaveCount(2)
        await page.getByLabel('Choose files to upload').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) })
        await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'failed')
      },
    },
    {
      path: '/uploads',
      // The undo toast, held open by the focus on Undo; the next visit reloads, which keeps the file.
      prepare: async () => {
        await page.getByRole('button', { name: 'Delete notes.txt' }).click()
        const undo = page.getByRole('button', { name: 'Undo' })
        await undo.focus()
        await expect(page.getByText('notes.txt deleted', { exact: true })).toBeVisible()
      },
    },
    {
      path: '/uploads',
      prepare: async () => {
        await page.getByRole('button', { name: 'Preview sunset.png' }).click()
        await expect(page.getByRole('dialog', { name: 'sunset.png' })).toBeVisible()
      },
    },
    { path: '/nope' },
  ])
})
