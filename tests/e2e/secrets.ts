import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { localS3Credentials } from '../../scripts/local-storage-credentials.mjs'

/** The secrets the E2E worker runs with; none may ever appear in a response body or a log line. */
export function watchedSecrets(): Record<string, string> {
  const r2 = localS3Credentials()
  return {
    BETTER_AUTH_SECRET: process.env.GALLERY_TEST_AUTH_SECRET!,
    R2_SECRET_ACCESS_KEY: r2.secretAccessKey,
  }
}

export function findSecrets(text: string, secrets = watchedSecrets()): string[] {
  return Object.entries(secrets).filter(([, value]) => value && text.includes(value)).map(([name]) => name)
}

/** A test user's email and the values of the session cookies issued to them. */
export interface UserSecrets { email?: string, sessionCookies: string[] }

/**
 * What must never be logged about test users: their emails, and each session token in every form a log could show
 * it (the cookie value as sent, URL-decoded, and the bare token before the '.' and its signature).
 */
export function userSecrets(users: UserSecrets[]): Record<string, string> {
  const secrets: Record<string, string> = {}
  users.forEach((user, index) => {
    if (user.email) secrets[`email of user ${index + 1}`] = user.email
    for (const [n, value] of user.sessionCookies.entries()) {
      const decoded = decodeURIComponent(value)
      secrets[`session cookie ${n + 1} of user ${index + 1}`] = value
      secrets[`decoded session cookie ${n + 1} of user ${index + 1}`] = decoded
      secrets[`session token ${n + 1} of user ${index + 1}`] = decoded.split('.')[0]!
    }
  })
  return secrets
}

/** Test users recorded by the fixtures (one JSON line each), read by the global teardown. */
export function recordUser(file: string, user: UserSecrets) {
  appendFileSync(file, `${JSON.stringify(user)}\n`)
}

export function recordedUsers(file: string): UserSecrets[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line) as UserSecrets)
}

/** Per-test tallies appended by the fixture, summed by the global teardown. */
export function recordScan(file: string, bodies: number) {
  appendFileSync(file, `${JSON.stringify({ bodies })}\n`)
}

export function scannedBodies(file: string): number {
  if (!existsSync(file)) return 0
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).reduce((sum, line) => sum + JSON.parse(line).bodies, 0)
}
