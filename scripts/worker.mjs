// Starts the production bundle (.output/server) in workerd via `wrangler dev`, with the local R2 bucket
// and its S3 endpoint, against the given database.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const BUILT_WORKER_CONFIG = '.output/server/wrangler.json'

export function offlineEnv(extra = {}) {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...extra }
}

/**
 * Signing settings for the local bucket: the throwaway keys declared in wrangler.jsonc, and the S3 endpoint that
 * wrangler dev serves on the worker's own origin (a path, resolved against the request's origin by the signer).
 */
function localStorageVars(configPath) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'))
  const credentials = config.r2_buckets?.find(bucket => bucket.binding === 'GALLERY')?.local_dev?.experimental_s3_credentials
  if (!credentials) throw new Error('wrangler.jsonc: GALLERY has no local_dev.experimental_s3_credentials')
  return {
    R2_ACCESS_KEY_ID: credentials.accessKeyId,
    R2_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    R2_S3_ENDPOINT: '/cdn-cgi/local/r2/s3',
  }
}

/** `config` is the built wrangler.json or a variant of it in the same folder (the benchmark's raises rate limits). */
export function startWorker({ port, databaseUrl, persistTo, vars = {}, stdio = 'inherit', config = BUILT_WORKER_CONFIG, logLevel = 'info' }) {
  if (!existsSync(config)) throw new Error(`${config} is missing: run \`npm run build\` first`)
  // Secrets go through a private env file, not the command line, so they never show in a process list.
  mkdirSync(persistTo, { recursive: true })
  const envFile = resolve(persistTo, 'worker.env') // absolute: wrangler resolves relative paths from the config's folder
  const lines = Object.entries({ ...localStorageVars(config), ...vars }).map(([key, value]) => `${key}=${JSON.stringify(value)}`)
  writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 })
  const args = ['dev', '-c', config, '--ip', '127.0.0.1', '--port', String(port),
    '--persist-to', persistTo, '--show-interactive-dev-session=false', '--log-level', logLevel,
    // Serves /__scheduled?cron=… so cron tasks can be run on demand (local only).
    '--test-scheduled']
  args.push('--env-file', envFile)
  return spawn('wrangler', args, {
    stdio,
    detached: true, // own process group, so workerd goes down with wrangler
    env: offlineEnv({ CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl }),
  })
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
