// Starts the production bundle (.output/server) in workerd via `wrangler dev`, with the local R2 bucket
// and its S3 endpoint (behind the local storage endpoint, another origin), against the given database.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { localS3Credentials } from './local-storage-credentials.mjs'
import { startStorageRelay } from './local-storage.mjs'

export const BUILT_WORKER_CONFIG = '.output/server/wrangler.json'

export function offlineEnv(extra = {}) {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...extra }
}

/**
 * Signing settings for the local bucket: the throwaway keys declared in wrangler.jsonc, and `storageEndpoint`, the
 * local storage endpoint relaying to the S3 API wrangler dev serves on the worker's origin.
 */
function localStorageVars(configPath, storageEndpoint) {
  const credentials = localS3Credentials(configPath)
  return {
    R2_ACCESS_KEY_ID: credentials.accessKeyId,
    R2_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    R2_S3_ENDPOINT: storageEndpoint,
  }
}

/**
 * `config` is the built wrangler.json or a variant of it in the same folder (the benchmark's raises rate limits).
 * Resolves to the wrangler process, with `storageEndpoint` (what URLs are signed for); the storage endpoint closes
 * when that process exits.
 */
export async function startWorker({ port, databaseUrl, persistTo, vars = {}, stdio = 'inherit', config = BUILT_WORKER_CONFIG, logLevel = 'info' }) {
  if (!existsSync(config)) throw new Error(`${config} is missing: run \`npm run build\` first`)
  const storage = await startStorageRelay({ target: `http://127.0.0.1:${port}` })
  // Secrets go through a private env file, not the command line, so they never show in a process list.
  mkdirSync(persistTo, { recursive: true })
  const envFile = resolve(persistTo, 'worker.env') // absolute: wrangler resolves relative paths from the config's folder
  const lines = Object.entries({ ...localStorageVars(config, storage.endpoint), ...vars }).map(([key, value]) => `${key}=${JSON.stringify(value)}`)
  writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 })
  const args = ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port),
    '--persist-to', persistTo, '--show-interactive-dev-session=false', '--log-level', logLevel,
    // Serves /__scheduled?cron=… so cron tasks can be run on demand (local only).
    '--test-scheduled']
  args.push('--env-file', envFile)
  const child = spawn('wrangler', args, {
    stdio,
    detached: true, // own process group, so workerd goes down with wrangler
    env: offlineEnv({ CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl }),
  })
  // Registered before any caller's listener: the relay's thread is stopped as soon as the worker is gone.
  child.once('exit', () => void storage.close())
  child.once('error', () => void storage.close())
  return Object.assign(child, { storageEndpoint: storage.endpoint })
}

export function stopProcessGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, 'SIGTERM')
  }
  catch {
    // already gone
  }
}

export async function waitForHttp(url, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url)
      if (response.status < 500) return
    }
    catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
