import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { canRunIdle, idleCommand, idleLauncher, uploadClients } from '../../bench/lib/client-priority.mjs'

// Field 41 of /proc/<pid>/stat is the scheduling policy (0 normal, 5 idle), counted from field 3, after the name in
// parentheses, which may hold spaces. Prints the policy, then the arguments the shell was given.
const POLICY_OF_SHELL = 'given="$*"; stat=$(cat /proc/$$/stat); set -- ${stat##*) }; shift 38; echo "$1 $given"'
const SCHED_IDLE = '5'
const folder = mkdtempSync(join(tmpdir(), 'gallery-client-priority-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe.runIf(process.platform === 'linux' && canRunIdle())('bench clients in the idle scheduling class', () => {
  it('runs a command given to idleCommand in the idle class, and a plain one not', () => {
    const { command, args } = idleCommand('sh', ['-c', POLICY_OF_SHELL])
    expect(spawnSync(command, args, { encoding: 'utf8' }).stdout.split(' ')[0]).toBe(SCHED_IDLE)
    expect(spawnSync('sh', ['-c', POLICY_OF_SHELL], { encoding: 'utf8' }).stdout.split(' ')[0]).not.toBe(SCHED_IDLE)
  })

  it('launches the program behind idleLauncher in the idle class with every argument as given', () => {
    const shell = join(folder, 'it\'s a shell')
    symlinkSync('/bin/sh', shell)
    const launcher = idleLauncher(folder, shell)
    const run = spawnSync(launcher, ['-c', POLICY_OF_SHELL, 'name', 'it\'s one argument', '$HOME'], { encoding: 'utf8' })
    expect(run.status).toBe(0)
    const [policy, ...rest] = run.stdout.trim().split(' ')
    expect(policy).toBe(SCHED_IDLE)
    expect(rest.join(' ')).toBe('it\'s one argument $HOME')
  })

  it('gives a browser-vs-curl step both clients in the idle class', () => {
    const clients = uploadClients(folder, '/bin/sh')
    expect(clients.scheduling).toBe('idle class')
    const shell = spawnSync(clients.executablePath!, ['-c', POLICY_OF_SHELL], { encoding: 'utf8' })
    expect(shell.stdout.trim()).toBe(SCHED_IDLE)
    // curl reading its own /proc entry: the fields after the name, the policy being the 39th.
    const curl = clients.curl(['-sS', 'file:///proc/self/stat'])
    expect(curl.status).toBe(0)
    expect(curl.stdout.slice(curl.stdout.lastIndexOf(')') + 2).split(' ')[38]).toBe(SCHED_IDLE)
  })
})
