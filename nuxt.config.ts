import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { NitroConfig } from 'nitropack/types'
import { uploadsConfig } from './server/utils/config'
import { workerConfig, writeWranglerConfig } from './server/worker-config'

/**
 * `npm run build:bench` (GALLERY_BENCH_BUILD=1) extends the app with the benchmark's layer (bench/: its routes,
 * counters and output folder .output-bench); the build that `npm run deploy` ships never contains it.
 */
const benchBuild = process.env.GALLERY_BENCH_BUILD === '1'

// Checked against Nitro's own config type: Nuxt's fallback type for `nitro` knows only the keys Nuxt itself reads.
const nitro = {
  preset: 'cloudflare-module',
  // Cron, rate limits and queues come from server/utils/config.ts, merged over wrangler.jsonc.
  cloudflare: { deployConfig: true, nodeCompat: true, wrangler: workerConfig },
  // envExpansion is Nitro's default, spelled out because Nuxt's fallback type only knows that key.
  experimental: { tasks: true, envExpansion: false },
  scheduledTasks: { [uploadsConfig.cleanupCron]: ['uploads:cleanup'] },
  alias: { 'pg-native': fileURLToPath(new URL('./server/shims/pg-native.ts', import.meta.url)) },
} satisfies NitroConfig

export default defineNuxtConfig({
  extends: benchBuild ? ['./bench'] : [],
  modules: ['@nuxt/ui', '@nuxt/eslint'],
  devtools: { enabled: false },
  app: { head: { htmlAttrs: { lang: 'en' } } },
  css: ['~/assets/css/main.css'],
  // Cropper.js 2's web components (components/ProfileImageCropper.vue), registered in the browser only.
  vue: { compilerOptions: { isCustomElement: tag => tag.startsWith('cropper-') } },
  ui: { fonts: false },
  // Keep the repo's top-level layout (pages/, components/, composables/, utils/) instead of Nuxt 4's app/ folder.
  srcDir: '.',
  compatibilityDate: '2026-11-01',
  nitro,
  telemetry: false,
  hooks: {
    // `nuxt dev` only (whatever NODE_ENV says): the dev emulation reads a whole config (wrangler.jsonc alone lacks
    // the limiters and queues), and direct uploads go to the S3 endpoint of its own Miniflare (server/dev/local-s3.ts).
    'nitro:config': (fallbackTyped) => {
      const config = fallbackTyped as NitroConfig // Nuxt types this hook with its fallback shape, which lacks `dev`
      if (!config.dev) return
      const devConfig = fileURLToPath(new URL('./.wrangler/dev/wrangler.json', import.meta.url))
      mkdirSync(fileURLToPath(new URL('./.wrangler/dev', import.meta.url)), { recursive: true })
      writeWranglerConfig(devConfig, fileURLToPath(new URL('./wrangler.jsonc', import.meta.url)))
      // The emulation reads secrets (BETTER_AUTH_SECRET, written by scripts/local.mjs) from .dev.vars beside its config.
      const devVars = fileURLToPath(new URL('./.dev.vars', import.meta.url))
      if (existsSync(devVars)) copyFileSync(devVars, fileURLToPath(new URL('./.wrangler/dev/.dev.vars', import.meta.url)))
      config.cloudflare = { ...config.cloudflare, dev: { ...config.cloudflare?.dev, configPath: devConfig } }
      config.plugins = [...config.plugins ?? [], fileURLToPath(new URL('./server/dev/local-s3.ts', import.meta.url))]
      // Bundled: left external, the dev server would import it by a path resolved from node_modules' real folder.
      config.externals = { ...config.externals, inline: [...config.externals?.inline ?? [], fileURLToPath(new URL('./scripts/local-storage-credentials.mjs', import.meta.url))] }
      config.handlers = [...config.handlers ?? [],
        { route: '/cdn-cgi/local/r2/s3/**', handler: fileURLToPath(new URL('./server/dev/local-s3-forward.ts', import.meta.url)) }]
    },
    // Browser code is checked with the browser's types; tests, bench and scripts run in Node (tsconfig.tests.json).
    'prepare:types': ({ tsConfig }) => {
      tsConfig.exclude = [...tsConfig.exclude ?? [], '../tests/**', '../bench/**', '../scripts/**']
    },
  },
  eslint: { config: { stylistic: true } },
  icon: { serverBundle: { collections: ['lucide'] }, clientBundle: { scan: true } },
})
