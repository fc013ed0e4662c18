import { readFileSync } from 'node:fs'
import { findSecrets, recordedUsers, scannedBodies, userSecrets, watchedSecrets } from './secrets'

// The secrets suite's second half: everything the worker printed during the whole E2E run, scanned for the worker's
// secrets, the test users' emails and session tokens, signed URLs and query parameters.
export default function checkWorkerLogForSecrets() {
  const log = readFileSync(process.env.GALLERY_WORKER_LOG!, 'utf8')
  const lines = log.split('\n')
  const users = recordedUsers(process.env.GALLERY_TEST_USERS!)
  const secrets = { ...watchedSecrets(), ...userSecrets(users) }
  const leaks = lines.flatMap((line, index) => [
    ...findSecrets(line, secrets).map(name => `${name} on log line ${index + 1}`),
    // A signed URL is a bearer credential too: only its path may ever be logged.
    // (wrangler's local proxy echoes the URL of a request the browser aborted; that line is the dev server's own.)
    ...(/X-Amz-(Signature|Credential)=/.test(line) && !line.includes('Error inside ProxyWorker') ? [`a signed URL on log line ${index + 1}`] : []),
    // A failed query's values (ids, keys, filenames) are only ever logged as `params: [redacted]`.
    ...(/params: (?!\[redacted\])/.test(line) ? [`query parameters on log line ${index + 1}`] : []),
  ])
  const bodies = scannedBodies(process.env.GALLERY_RESPONSE_SCAN!)
  const signedIn = users.filter(user => user.sessionCookies.length).length
  console.log(`secrets: ${lines.length} worker log lines (also for ${users.length} test users, ${signedIn} with sessions) and ${bodies} response bodies scanned, ${leaks.length} secrets found`)
  // A run of a few specs on purpose (`npm run screenshots`) still fails on a leak, but cannot reach the whole suite's counts.
  if (!process.env.GALLERY_E2E_PARTIAL) {
    if (lines.length < 10) throw new Error('The worker log is nearly empty: the secrets scan would prove nothing')
    if (bodies < 50) throw new Error('Too few response bodies were scanned for secrets')
    if (signedIn < 5) throw new Error('Too few test users were recorded: the scan for emails and session tokens would prove little')
  }
  if (leaks.length) throw new Error(`Secrets leaked: ${leaks.join(', ')}`)
}
