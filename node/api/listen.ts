// Listening and closing for the HTTP servers of this project (the node's API and the testnet's
// control endpoint), so both start and stop the same way.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ListeningServer {
  /** `http://host:port` the server answers on (the real port when 0 was asked for). */
  url: string
  /** Drops open connections (keep-alive ones included), then stops listening. */
  close(): Promise<void>
}

export async function listenHttp(server: Server, host: string, port: number): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
