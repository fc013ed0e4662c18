import { createError, setResponseHeader, type H3Event } from 'h3'
import { rateLimitConfig } from './config'
import { useEnv } from './env'

type LimitedAction = keyof Omit<typeof rateLimitConfig, 'auth'>

/** Counts one request against the user's budget for that kind of action; over it, a 429 with Retry-After. */
export async function enforceRateLimit(event: H3Event, action: LimitedAction, userId: string): Promise<void> {
  const { binding, periodSeconds, what } = rateLimitConfig[action]
  const { success } = await useEnv(event)[binding].limit({ key: userId })
  if (success) return
  setResponseHeader(event, 'Retry-After', periodSeconds)
  throw createError({
    statusCode: 429,
    message: `Too many ${what} in a short time. Try again in ${periodSeconds} seconds.`,
    data: { retryAfterSeconds: periodSeconds },
  })
}
