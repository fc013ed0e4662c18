// The benchmark's routes exist only in its own build (bench/server/, added by nuxt.config.ts when GALLERY_BENCH_BUILD=1,
// where their exact paths win over this one). Every other build answers their prefix with a plain JSON 404.
export default defineEventHandler(() => {
  throw createError({ statusCode: 404, message: 'Not found' })
})
