import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs'

// Shared with the test workers through the environment (set once, in the main process): the worker's auth secret,
// where its log goes, where response scans are tallied and test users recorded, for the secrets suite.
const runId = randomBytes(4).toString('hex')
process.env.GALLERY_TEST_AUTH_SECRET ??= randomBytes(32).toString('hex')
process.env.GALLERY_WORKER_LOG ??= join(tmpdir(), `gallery-e2e-worker-${runId}.log`)
process.env.GALLERY_RESPONSE_SCAN ??= join(tmpdir(), `gallery-e2e-scan-${runId}.jsonl`)
process.env.GALLERY_TEST_USERS ??= join(tmpdir(), `gallery-e2e-users-${runId}.jsonl`)

// GALLERY_E2E_PORT lets two checkouts run their E2E suites side by side.
const E2E_PORT = Number(process.env.GALLERY_E2E_PORT ?? 8791)
const baseURL = `http://localhost:${E2E_PORT}`

export default defineConfig({
  testDir: 'tests/e2e',
  globalTeardown: './tests/e2e/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Whole user flows (sign-up, several uploads, a second person) on 2 cores that other work keeps busy.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // Browsers cannot be downloaded on the project's machines: drive the system's Chromium
        // (`npm run test:e2e` runs scripts/chromium.mjs first, which installs Debian's when there is none).
        launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
      },
    },
  ],
  // The production bundle in workerd, on a fresh Postgres database and a fresh local R2 state.
  webServer: {
    command: `node tests/support/test-server.mjs --port ${E2E_PORT} --log ${process.env.GALLERY_WORKER_LOG}`,
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
})
