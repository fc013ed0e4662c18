/** Waits between attempts of a request or a part that failed; after the last one the error is final. */
export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000]

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

export interface RetryOptions {
  delaysMs?: readonly number[]
  wait?: (ms: number) => Promise<void>
  /** Checked after each failure: true makes it final (a cancelled upload). */
  stop?: () => boolean
}

/** Runs `attempt` until it succeeds, waiting longer after each failure. */
export async function withRetry<T>(attempt: () => Promise<T>, { delaysMs = RETRY_DELAYS_MS, wait = sleep, stop }: RetryOptions = {}): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt()
    }
    catch (error) {
      if (failures >= delaysMs.length || stop?.()) throw error
      await wait(delaysMs[failures]!)
    }
  }
}

const statusOf = (error: unknown) => (error as { statusCode?: number } | null)?.statusCode

export interface MultipartApiOptions {
  fetch?: typeof $fetch
  retry?: Omit<RetryOptions, 'stop'>
}

/** The server's multipart API, as the browser uses it. */
export function createMultipartApi({ fetch = $fetch, retry }: MultipartApiOptions = {}) {
  return {
    /** An earlier upload the server still holds, with its recorded parts; null once it is gone (404, 410). */
    find: (id: string) => fetch(`/api/uploads/multipart/${id}`).catch((error: unknown) => {
      if (statusOf(error) !== 404 && statusOf(error) !== 410) throw error
      return null
    }),
    create: (body: { filename: string, contentType: string, fileSize: number, preview?: { contentType: string, fileSize: number } }) =>
      fetch('/api/uploads/multipart', { method: 'POST', body }),
    sign: async (id: string, partNumbers: number[]) =>
      (await fetch(`/api/uploads/multipart/${id}/parts`, { method: 'POST', body: { partNumbers } })).parts,
    /** Reports finished parts, retrying: until it succeeds their ETags live only in the browser. */
    record: (id: string, parts: { partNumber: number, etag: string }[], stop?: () => boolean) => withRetry<undefined>(async () => {
      await fetch(`/api/uploads/multipart/${id}/parts`, { method: 'PUT', body: { parts } })
      return undefined
    }, { ...retry, stop }),
    /** Assembles the parts; the answer is the committed upload as the list shows it. */
    complete: (id: string) => fetch(`/api/uploads/multipart/${id}/complete`, { method: 'POST' }),
    /** Gives the upload up (its reservation and stored parts); a failure leaves it to expire. */
    abort: (id: string) => fetch(`/api/uploads/multipart/${id}`, { method: 'DELETE' }).then(() => {}, () => {}),
  }
}

export type MultipartApi = ReturnType<typeof createMultipartApi>
