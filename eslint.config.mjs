// @ts-check
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt({
  ignores: ['.output-bench/**', '.wrangler/**', '.data/**', 'test-results/**', 'playwright-report/**', 'bench/results.json'],
})
