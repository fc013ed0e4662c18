import { fileURLToPath } from 'node:url'
import type { NitroConfig } from 'nitropack/types'
import { uploadsConfig } from './server/utils/config'

/**
 * `npm run build:bench` (GALLERY_BENCH_BUILD=1) compiles the benchmark's routes and counters (bench/server/) into a
 * build of its own in .output-bench; the build that `npm run deploy` ships never contains them.
 */
const benchBuild = process.env.GALLERY_BENCH_BUILD === '1'
const benchRoutes = ['sign', 'stats', 'db'].map(name => ({
  route: `/__bench/${name}`, method: 'get' as const, handler: fileURLToPath(new URL(`./bench/server/${name}.get.ts`, import.meta.url)),
}))

// Checked against Nitro's own config type: Nuxt's fallback type for `nitro` knows only the keys Nuxt itself reads.
const nitro = {
  preset: 'cloudflare-module',
  cloudflare: { deployConfig: true, nodeCompat: true },
  // envExpansion is Nitro's default, spelled out because Nuxt's fallback type only knows that key.
  experimental: { tasks: true, envExpansion: false },
  scheduledTasks: { [uploadsConfig.cleanupCron]: ['uploads:cleanup'] },
  alias: { 'pg-native': fileURLToPath(new URL('./server/shims/pg-native.ts', import.meta.url)) },
  ...(benchBuild && {
    output: { dir: fileURLToPath(new URL('./.output-bench', import.meta.url)) },
    handlers: benchRoutes,
    plugins: [fileURLToPath(new URL('./bench/server/plugin.ts', import.meta.url))],
  }),
} satisfies NitroConfig

export default defineNuxtConfig({
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
    // `nuxt dev` only (whatever NODE_ENV says): direct uploads to the S3 endpoint of the dev emulation's own Miniflare
    // (server/dev/local-s3.ts).
    'nitro:config': (fallbackTyped) => {
      const config = fallbackTyped as NitroConfig // Nuxt types this hook with its fallback shape, which lacks `dev`
      if (!config.dev) return
      config.plugins = [...config.plugins ?? [], fileURLToPath(new URL('./server/dev/local-s3.ts', import.meta.url))]
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
