import type { H3Event } from 'h3'

type LimitedAction = keyof Pick<typeof rateLimitConfig, 'uploadUrls' | 'downloadUrls'>

/** Counts one URL issuance against the user's budget; over it, a 429 with Retry-After. */
export async function enforceRateLimit(event: H3Event, action: LimitedAction, userId: string): Promise<void> {
  const { binding, periodSeconds } = rateLimitConfig[action]
  const { success } = await useEnv(event)[binding].limit({ key: userId })
  if (success) return
  setResponseHeader(event, 'Retry-After', periodSeconds)
  throw createError({
    statusCode: 429,
    message: `Too many ${action === 'uploadUrls' ? 'uploads' : 'downloads'} in a short time. Try again in ${periodSeconds} seconds.`,
    data: { retryAfterSeconds: periodSeconds },
  })
}
