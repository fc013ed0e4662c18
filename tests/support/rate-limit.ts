/**
 * Runs a rate-limit test whose burst must sit in one window of the local limiter, without waiting for a window to
 * start. The local Workers Rate Limiting binding counts in windows aligned to the wall clock (on the minute for a
 * 60 s period), so a burst that straddles a boundary is counted in two windows and the (limit+1)th request may pass.
 * `run` creates its own users and asserts everything; when it fails and its run crossed a boundary, it runs again
 * (fresh users, a fresh window), at most twice. A failure within one window is a failure.
 */
export async function inOneLimiterWindow(run: () => Promise<void>, periodSeconds = 60): Promise<void> {
  const window = (at: number) => Math.floor(at / (periodSeconds * 1000))
  for (let attempt = 1; ; attempt++) {
    // A second of margin each side: the worker's clock and ours are the same machine's, read a moment apart.
    const started = window(Date.now() - 1000)
    try {
      await run()
      return
    }
    catch (error) {
      if (attempt >= 3 || window(Date.now() + 1000) === started) throw error
    }
  }
}
