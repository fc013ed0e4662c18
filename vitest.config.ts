import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

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
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          // Sized for a 2-core machine with both cores busy elsewhere (CI shares it): twice what a loaded run measured.
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
})
