export interface ProbeResult { ok: boolean, latencyMs: number, error?: string }

export async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([check(), timeout])
    return { ok: true, latencyMs: Date.now() - started }
  }
  catch (error) {
    // Only the error class goes out: driver messages can carry hostnames or user names.
    const name = error instanceof Error ? error.name : 'Error'
    return { ok: false, latencyMs: Date.now() - started, error: name === 'Error' ? 'unreachable' : name }
  }
  finally {
    clearTimeout(timer)
  }
}
