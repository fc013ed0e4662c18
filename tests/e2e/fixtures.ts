import { randomBytes, randomUUID } from 'node:crypto'
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { findSecrets, recordScan, recordUser, watchedSecrets } from './secrets'

export interface Account { name: string, email: string, password: string }

export function newAccount(name = 'Grace Hopper'): Account {
  return { name, email: `e2e-${randomUUID()}@example.com`, password: 'correct-horse-battery' }
}

/** Navigate and wait until Vue has hydrated: a click before that would hit a form with no handler. */
export async function visit(page: Page, path: string) {
  await page.goto(path)
  await page.locator('html[data-hydrated="true"]').waitFor()
}

export async function signUpThroughUI(page: Page, account: Account) {
  await visit(page, '/signup')
  await page.getByLabel('Name').fill(account.name)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page).toHaveURL(/\/profile$/)
  await recordTestUser(page.context(), account.email)
}

/** The worker's log must never show a test user's email or session token: the global teardown scans it for them. */
async function recordTestUser(context: BrowserContext, email: string) {
  const sessionCookies = (await context.cookies()).filter(cookie => cookie.name.endsWith('better-auth.session_token')).map(cookie => cookie.value)
  recordUser(process.env.GALLERY_TEST_USERS!, { email, sessionCookies })
}

export const cropDialog = (page: Page) => page.getByRole('dialog', { name: 'Crop your profile image' })

/** Confirms the profile image's crop step (the default, largest centred square) with its button. */
export async function confirmCrop(page: Page) {
  const useCrop = cropDialog(page).getByRole('button', { name: 'Use this crop' })
  await expect(useCrop).toBeEnabled()
  await useCrop.click()
  await expect(cropDialog(page)).toHaveCount(0)
}

/** Chooses a profile image on /profile and accepts the crop step's default square; resolves once the avatar shows. */
export async function setProfileImageThroughUI(page: Page, file: { name: string, mimeType: string, buffer: Buffer }) {
  await page.getByLabel('Choose a profile image').setInputFiles(file)
  await confirmCrop(page)
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('avatar-image')).toBeVisible()
}

/** The bytes the avatar <img> is actually showing. */
export async function avatarBytes(page: Page): Promise<Buffer> {
  const avatar = page.getByTestId('avatar-image')
  await expect(avatar).toBeVisible()
  return Buffer.from(await avatar.evaluate(async (img: HTMLImageElement) => {
    await img.decode()
    return Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))
  }))
}

export async function signInThroughUI(page: Page, account: Pick<Account, 'email' | 'password'>) {
  await visit(page, '/login')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * Limits how fast the page uploads (bytes per second), so a test can act while a file is still being sent; `lift`
 * removes the limit.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  const limit = (uploadThroughput: number) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput })
  await limit(bytesPerSecond)
  return { lift: () => limit(-1) }
}

/** A client address of its own for each simulated person (Better Auth limits sign-up and sign-in per address). */
export function randomClientIp(): string {
  const bytes = randomBytes(3)
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

/** A browser context for another person, with a client address of its own (see extraHTTPHeaders below). */
export function newPersonContext(browser: Browser) {
  return browser.newContext({ extraHTTPHeaders: { 'cf-connecting-ip': randomClientIp() } })
}

// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- an auto fixture that provides nothing
export const test = base.extend<{ account: Account, signedInPage: Page, secretsGuard: void }>({
  // Every response any page of the test receives is scanned for the worker's secrets; the test's user is recorded.
  secretsGuard: [async ({ context, account }, use) => {
    const secrets = watchedSecrets()
    const scans: Promise<void>[] = []
    const leaks: string[] = []
    let bodies = 0
    context.on('response', (response) => {
      scans.push((async () => {
        const text = await response.text().catch(() => null)
        if (text === null) return
        bodies++
        for (const name of findSecrets(text, secrets)) leaks.push(`${name} in ${response.url()}`)
      })())
    })
    await use()
    await Promise.all(scans)
    recordScan(process.env.GALLERY_RESPONSE_SCAN!, bodies)
    await recordTestUser(context, account.email)
    expect(leaks).toEqual([])
  }, { auto: true }],
  // Each test is a different client to Better Auth's per-IP limiter (wrangler passes cf-connecting-ip through).
  // Playwright reads a fixture's dependencies from its destructuring pattern: these depend on nothing.
  // eslint-disable-next-line no-empty-pattern
  extraHTTPHeaders: async ({}, use) => use({ 'cf-connecting-ip': randomClientIp() }),
  // eslint-disable-next-line no-empty-pattern
  account: async ({}, use) => use(newAccount()),
  // A page whose browser context already holds a fresh signed-up user.
  signedInPage: async ({ page, account }, use) => {
    await signUpThroughUI(page, account)
    await use(page)
  },
})

export { expect }
