import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests of the project's tooling (scripts, the dev server, the deploy bundle), not of the app: each starts what it
// needs itself, so they share no worker or database with the app's integration tests and run once in CI.
const tooling = [
  'tests/integration/embedded-db.test.ts',
  'tests/integration/embedded-defaults.test.ts',
  'tests/integration/dev-server.test.ts',
  'tests/integration/deploy-bundle.test.ts',
]

// Files whose assertions another file running beside them could upset, so they run after the others, one at a time,
// on a worker of their own: one holds a table lock and counts the connections waiting on it; the other looks at rows
// aged past the cleanup cutoff, which any file's cleanup run (it sweeps the whole database) would remove.
const runAlone = ['tests/integration/profile-image-versions.test.ts', 'tests/integration/uploads.test.ts']

const integration = {
  include: ['tests/integration/**/*.test.ts'],
  globalSetup: ['tests/support/global-setup.ts'],
  // Sized for a 2-core machine with both cores busy elsewhere (CI shares it): twice what a loaded run measured.
  testTimeout: 60_000,
  hookTimeout: 300_000,
}

export default defineConfig({
  // The app's utils/ import the contract as Nuxt spells it.
  resolve: { alias: { '#shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    projects: [
      // Pure logic: no build, no database, no worker; seconds (`npm run test:unit`).
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      // HTTP against the built worker in workerd, on a real PostgreSQL (`npm run test:integration`, after a build).
      {
        extends: true,
        test: {
          ...integration,
          name: 'integration',
          exclude: [...tooling, ...runAlone],
          // The files mostly wait on the worker and Postgres, so three at a time keep 2 cores busy (Vitest's default
          // here is one). Each test signs up users of its own.
          maxWorkers: 3,
        },
      },
      {
        extends: true,
        test: { ...integration, name: 'integration-alone', include: runAlone, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      // The tooling, after a build (`npm run test:tooling`): no globalSetup, since no test here uses its worker.
      {
        extends: true,
        test: {
          name: 'tooling',
          include: tooling,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
})
