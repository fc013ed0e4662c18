import net from 'node:net'

/**
 * A TCP hop between the worker and Postgres that a test can cut: stop() closes the port (connections refused,
 * open ones reset), start() opens it again. To the worker this is Postgres going down and coming back.
 */
export async function startTcpProxy(target: { host: string, port: number }) {
  const sockets = new Set<net.Socket>()
  let connections = 0
  const server = net.createServer((client) => {
    connections++
    const upstream = net.connect(target.port, target.host)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  const listen = (port: number) => new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  await listen(0)
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    /** Connections accepted since the proxy started: each is one the worker opened to Postgres. */
    connections: () => connections,
    async stop() {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(resolve))
    },
    start: () => listen(port),
    async close() {
      for (const socket of sockets) socket.destroy()
      if (server.listening) await new Promise(resolve => server.close(resolve))
    },
  }
}
