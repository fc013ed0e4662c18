// Finds the Chromium that Playwright and the benchmark drive (browsers cannot be downloaded on the project's
// machines). Run as a script before them: installs Debian's `chromium` when none is found and we are root with apt,
// else stops with one line that says how to provide one.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run']

const USUAL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

/** CHROMIUM_PATH when set, else the first usual install path that exists; undefined when there is none. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined
  return USUAL_PATHS.find(path => existsSync(path))
}

function canInstallWithApt() {
  if (process.getuid?.() !== 0) return false
  try {
    execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' })
    return true
  }
  catch {
    return false
  }
}

function ensureChromium() {
  if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
    return `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist: point it at a Chromium or Chrome binary, or unset it.`
  }
  if (!findChromium() && canInstallWithApt()) {
    console.log('No Chromium found: installing Debian\'s chromium with apt-get (root)…')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  }
  const found = findChromium()
  if (!found) return 'No Chromium found: install it (e.g. `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.'
  console.log(`Chromium: ${found}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = ensureChromium()
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
}
