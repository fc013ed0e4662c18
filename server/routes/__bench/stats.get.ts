export default defineEventHandler((event) => {
  requireBench(event)
  return benchTotals()
})
