import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'

// Shared with the test workers through the environment (set once, in the main process): the worker's auth secret,
// where its log goes and where response scans are tallied, for the secrets suite.
const runId = randomBytes(4).toString('hex')
process.env.GALLERY_TEST_AUTH_SECRET ??= randomBytes(32).toString('hex')
process.env.GALLERY_WORKER_LOG ??= join(tmpdir(), `gallery-e2e-worker-${runId}.log`)
process.env.GALLERY_RESPONSE_SCAN ??= join(tmpdir(), `gallery-e2e-scan-${runId}.jsonl`)

const E2E_PORT = 8791
const baseURL = `http://localhost:${E2E_PORT}`

export default defineConfig({
  testDir: 'tests/e2e',
  globalTeardown: './tests/e2e/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000, // whole user flows (sign-up, several uploads, a second person) on 2 cores
  expect: { timeout: 10_000 },
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
        // Browsers cannot be downloaded on the project's machines: drive Debian's Chromium.
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
            '--disable-component-update', '--no-first-run'],
        },
      },
    },
  ],
  // The production bundle in workerd, on a fresh Postgres database and a fresh local R2 state.
  webServer: {
    command: `node tests/support/test-server.mjs --port ${E2E_PORT} --log ${process.env.GALLERY_WORKER_LOG}`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
})
