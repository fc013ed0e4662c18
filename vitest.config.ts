import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Sized for a 2-core machine with both cores busy elsewhere (CI shares it): twice what a loaded run measured.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
})
