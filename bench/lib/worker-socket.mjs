// The load runs go to the Worker's own socket rather than through `wrangler dev`'s ProxyWorker: that forwarding
// Durable Object is a dev-only hop in a workerd of its own, and every few thousand requests it stops for a ~225 ms
// major GC (perf: the sweep of the Request and Headers it forwarded), freezing every request in flight. A 10 s run
// has 2–3 of them, which set the p99 of whichever route was slowest, not anything the Worker did.
// wrangler does not print the Worker's address, so it is found among the listening sockets of wrangler's processes
// (Linux /proc) and told apart by answering the bench's own route.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'

const readOrNull = (path) => {
  try {
    return readFileSync(path, 'utf8')
  }
  catch {
    return null
  }
}

/** `rootPid` and every process below it. */
export function processTree(rootPid) {
  const parents = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readOrNull(`/proc/${entry}/stat`)
    // Fields after the command name, which may itself hold spaces or parentheses: state, then the parent's pid.
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
  }
  const tree = new Set([rootPid])
  for (let grown = true; grown;) {
    grown = false
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid)
        grown = true
      }
    }
  }
  return tree
}

/** The TCP ports on which the processes in `pids` listen, read from /proc (no `ss` or `lsof` needed). */
export function listeningPorts(pids) {
  const socketInodes = new Set()
  for (const pid of pids) {
    let descriptors
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`)
    }
    catch {
      continue // gone, or not ours to read
    }
    for (const descriptor of descriptors) {
      let target
      try {
        target = readlinkSync(`/proc/${pid}/fd/${descriptor}`)
      }
      catch {
        continue // closed since the listing
      }
      if (target.startsWith('socket:[')) socketInodes.add(target.slice(8, -1))
    }
  }
  const ports = new Set()
  const LISTEN = '0A'
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readOrNull(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length > 9 && fields[3] === LISTEN && socketInodes.has(fields[9])) ports.add(Number.parseInt(fields[1].split(':')[1], 16))
    }
  }
  return [...ports].sort((a, b) => a - b)
}

/**
 * The http://127.0.0.1:<port> of the Worker that `rootPid` (wrangler) started, skipping `skipPorts` (the proxy's):
 * the one socket whose `probePath` answers 200. Null when none does (not Linux, or wrangler changed).
 * @param {{ rootPid: number, skipPorts?: number[], probePath?: string }} options
 * @returns {Promise<string | null>}
 */
export async function findWorkerSocket({ rootPid, skipPorts = [], probePath = '/__bench/stats' }) {
  if (process.platform !== 'linux') return null
  for (const port of listeningPorts(processTree(rootPid))) {
    if (skipPorts.includes(port)) continue
    // Some of workerd's sockets are not HTTP (inspector, debug RPC): a bounded wait, and any failure means "not this one".
    const answered = await fetch(`http://127.0.0.1:${port}${probePath}`, { signal: AbortSignal.timeout(3000) })
      .then(async response => (await response.arrayBuffer(), response.status === 200), () => false)
    if (answered) return `http://127.0.0.1:${port}`
  }
  return null
}
