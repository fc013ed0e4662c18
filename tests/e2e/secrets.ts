import { appendFileSync, existsSync, readFileSync } from 'node:fs'

/** The secrets the E2E worker runs with; none may ever appear in a response body or a log line. */
export function watchedSecrets(): Record<string, string> {
  const config = JSON.parse(readFileSync('.output/server/wrangler.json', 'utf8'))
  const r2 = config.r2_buckets.find((bucket: { binding: string }) => bucket.binding === 'GALLERY').local_dev.experimental_s3_credentials
  return {
    BETTER_AUTH_SECRET: process.env.GALLERY_TEST_AUTH_SECRET!,
    R2_SECRET_ACCESS_KEY: r2.secretAccessKey,
  }
}

export function findSecrets(text: string, secrets = watchedSecrets()): string[] {
  return Object.entries(secrets).filter(([, value]) => value && text.includes(value)).map(([name]) => name)
}

/** Per-test tallies appended by the fixture, summed by the global teardown. */
export function recordScan(file: string, bodies: number) {
  appendFileSync(file, `${JSON.stringify({ bodies })}\n`)
}

export function scannedBodies(file: string): number {
  if (!existsSync(file)) return 0
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).reduce((sum, line) => sum + JSON.parse(line).bodies, 0)
}
