import { defineEventHandler } from 'h3'
import { benchTotals, requireBench } from '../../counters'

export default defineEventHandler((event) => {
  requireBench(event)
  return benchTotals()
})
