// The browser-vs-curl steps run both clients in Linux's idle scheduling class (`chrt --idle`), so on the 2 shared
// cores the client yields to the local storage endpoint, which stands in for R2's own machines. One busy storage
// thread sets the pace of both uploads, and Chromium brings over ten times curl's CPU per GiB, so at normal priority
// the ratio measured how much CPU the client took from storage rather than the upload path.
import { spawnSync } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const CHRT = 'chrt'
const IDLE_CLASS = ['--idle', '0']

/** Whether this machine can start a program in the idle class (util-linux's `chrt`, Linux only). */
export const canRunIdle = () => spawnSync(CHRT, [...IDLE_CLASS, 'true']).status === 0

/** `command` and `args` prefixed so that the program runs in the idle class. */
export const idleCommand = (command, args) => ({ command: CHRT, args: [...IDLE_CLASS, command, ...args] })

const shellQuote = value => `'${value.replaceAll('\'', '\'\\\'\'')}'`

/**
 * A launcher in `folder` that runs `executable` in the idle class with the arguments it is given, for programs that
 * are started by path (Playwright launches `executablePath` with its own arguments). Child processes inherit the class.
 */
export function idleLauncher(folder, executable) {
  const path = join(folder, 'idle-launcher.sh')
  writeFileSync(path, `#!/bin/sh\nexec ${[CHRT, ...IDLE_CLASS, executable].map(shellQuote).join(' ')} "$@"\n`)
  chmodSync(path, 0o755)
  return path
}

/**
 * The two clients of a browser-vs-curl step, both in the idle class or, where it is not available, both at normal
 * priority (`scheduling` says which): Chromium's `executablePath` and a `curl` that runs curl with the given arguments.
 */
export function uploadClients(folder, chromiumPath) {
  const idle = chromiumPath !== undefined && canRunIdle()
  return {
    scheduling: idle ? 'idle class' : 'normal',
    executablePath: idle ? idleLauncher(folder, chromiumPath) : chromiumPath,
    /** @param {string[]} args */
    curl: (args) => {
      const { command, args: commandArgs } = idle ? idleCommand('curl', args) : { command: 'curl', args }
      return spawnSync(command, commandArgs, { encoding: 'utf8' })
    },
  }
}
