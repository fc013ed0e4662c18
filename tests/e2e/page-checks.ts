import type { Page } from '@playwright/test'

/**
 * Everything the page reports as wrong from now on: console errors, hydration warnings (Vue reports a mismatch on the
 * console) and uncaught exceptions. Read it after the page has settled.
 */
export function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || /hydrat/i.test(message.text())) problems.push(`${message.type()}: ${message.text()} (${page.url()})`)
  })
  page.on('pageerror', error => problems.push(`uncaught: ${error.message} (${page.url()})`))
  return problems
}

export const SIGNED_OUT_PAGES = ['/', '/login', '/signup']
export const SIGNED_IN_PAGES = ['/', '/profile', '/uploads']
