import { fileURLToPath } from 'node:url'
import { authConfig, profileImageConfig, uploadsConfig } from './server/utils/config'

export default defineNuxtConfig({
  compatibilityDate: '2026-11-01',
  // Keep the repo's top-level layout (pages/, components/, composables/) instead of Nuxt 4's app/ folder.
  srcDir: '.',
  modules: ['@nuxt/ui'],
  css: ['~/assets/css/main.css'],
  ui: { fonts: false },
  icon: { serverBundle: { collections: ['lucide'] }, clientBundle: { scan: true } },
  // The browser checks the same limits the server enforces, from the one config object.
  runtimeConfig: {
    public: {
      profileImage: {
        maxBytes: profileImageConfig.maxBytes,
        allowedContentTypes: [...profileImageConfig.allowedContentTypes],
      },
      minPasswordLength: authConfig.minPasswordLength,
      uploads: {
        maxBytes: uploadsConfig.maxBytes,
        allowedContentTypes: [...Object.keys(uploadsConfig.extensionByContentType), uploadsConfig.unknownContentType],
      },
    },
  },
  devtools: { enabled: false },
  telemetry: false,
  nitro: {
    preset: 'cloudflare-module',
    cloudflare: { deployConfig: true, nodeCompat: true },
    experimental: { tasks: true },
    scheduledTasks: { [uploadsConfig.cleanupCron]: ['uploads:cleanup'] },
    alias: { 'pg-native': fileURLToPath(new URL('./server/shims/pg-native.ts', import.meta.url)) },
  },
})
