import { fileURLToPath } from 'node:url'

// The benchmark as a Nuxt layer, extended only by `npm run build:bench` (GALLERY_BENCH_BUILD=1, see ../nuxt.config.ts):
// its /__bench/* routes (server/routes/), its counters (server/plugins/counters.ts, listening to the app's
// `gallery:instrument` hook) and a build folder of its own, so the deployable .output never holds them.
export default defineNuxtConfig({
  nitro: { output: { dir: fileURLToPath(new URL('../.output-bench', import.meta.url)) } },
})
