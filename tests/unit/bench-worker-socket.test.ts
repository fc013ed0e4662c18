import { type ChildProcess, spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findWorkerSocket, listeningPorts, processTree } from '../../bench/lib/worker-socket.mjs'

// A stand-in for wrangler's process tree: a parent (wrangler's proxy) whose socket answers the probe but is skipped by
// port, and a child (the Worker's workerd) with two sockets, only one of them answering the probe with 200.
const serve = (name: string, status: string) => `require('node:http').createServer((request, response) => {
  response.statusCode = ${status}; response.end('{}')
}).listen(0, '127.0.0.1', function () { process.stdout.write('${name} ' + this.address().port + '\\n') })`
const CHILD = `${serve('other', '404')}; ${serve('worker', 'request.url === \'/__bench/stats\' ? 200 : 404')}; setInterval(() => {}, 1000)`
const PARENT = `const child = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: ['ignore', 'inherit', 'inherit'] });
process.on('SIGTERM', () => { child.kill(); process.exit() }); ${serve('proxy', '200')}`

let parent: ChildProcess
const ports: Record<string, number> = {}
// Answers the probe too, but is not in the tree: never to be chosen.
let outsider: Server

beforeAll(async () => {
  outsider = createServer((_request, response) => response.end('{}'))
  await new Promise<void>(resolve => outsider.listen(0, '127.0.0.1', resolve))
  parent = spawn(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  await new Promise<void>((resolve) => {
    parent.stdout!.on('data', (chunk) => {
      output += chunk
      if (output.trim().split('\n').length === 3) resolve()
    })
  })
  for (const line of output.trim().split('\n')) {
    const [name, port] = line.split(' ')
    ports[name!] = Number(port)
  }
})

afterAll(() => {
  parent?.kill('SIGTERM')
  outsider?.close()
})

describe.runIf(process.platform === 'linux')('finding the Worker\'s own socket behind wrangler dev\'s proxy', () => {
  it('lists the ports the process tree listens on, children included, and not those of other processes', () => {
    const found = listeningPorts(processTree(parent.pid!))
    expect(found).toEqual([ports.proxy, ports.other, ports.worker].sort((a, b) => a! - b!))
    expect(found).not.toContain((outsider.address() as AddressInfo).port)
  })

  it('picks the socket in the tree that answers the probe, skipping the proxy\'s port', async () => {
    expect(await findWorkerSocket({ rootPid: parent.pid!, skipPorts: [ports.proxy!] })).toBe(`http://127.0.0.1:${ports.worker}`)
  })

  it('finds nothing when no socket in the tree answers the probe', async () => {
    expect(await findWorkerSocket({ rootPid: parent.pid!, skipPorts: [ports.proxy!, ports.worker!] })).toBeNull()
  })
})
