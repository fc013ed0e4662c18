import { readFileSync } from 'node:fs'
import { findSecrets, scannedBodies } from './secrets'

// The secrets suite's second half: everything the worker printed during the whole E2E run.
export default function checkWorkerLogForSecrets() {
  const log = readFileSync(process.env.GALLERY_WORKER_LOG!, 'utf8')
  const lines = log.split('\n')
  const leaks = lines.flatMap((line, index) => [
    ...findSecrets(line).map(name => `${name} on log line ${index + 1}`),
    // A signed URL is a bearer credential too: only its path may ever be logged.
    // (wrangler's local proxy echoes the URL of a request the browser aborted; that line is the dev server's own.)
    ...(/X-Amz-(Signature|Credential)=/.test(line) && !line.includes('Error inside ProxyWorker') ? [`a signed URL on log line ${index + 1}`] : []),
  ])
  const bodies = scannedBodies(process.env.GALLERY_RESPONSE_SCAN!)
  console.log(`secrets: ${lines.length} worker log lines and ${bodies} response bodies scanned, ${leaks.length} secrets found`)
  if (lines.length < 10) throw new Error('The worker log is nearly empty: the secrets scan would prove nothing')
  if (bodies < 50) throw new Error('Too few response bodies were scanned for secrets')
  if (leaks.length) throw new Error(`Secrets leaked: ${leaks.join(', ')}`)
}
