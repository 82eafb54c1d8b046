import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the server saw it. */
export interface SeenRequest {
  path: string
  url: URL
  headers: IncomingHttpHeaders
  at: number
}

/** `n` counts the requests to this path so far, from 1, so a route can fail first and then work. */
export type Route = (req: IncomingMessage, res: ServerResponse, n: number) => void

export interface TestServer {
  base: string
  seen: SeenRequest[]
  /** setTimeout that `close` cancels, for routes that answer late. */
  later: (ms: number, fn: () => void) => void
  close: () => Promise<void>
}

/** A real HTTP server on 127.0.0.1 (random port) whose routes misbehave on purpose. */
export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const seen: SeenRequest[] = []
  const counts = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    seen.push({ path: url.pathname, url, headers: req.headers, at: performance.now() })
    const n = (counts.get(url.pathname) ?? 0) + 1
    counts.set(url.pathname, n)
    const route = routes[url.pathname]
    if (route) route(req, res, n)
    else res.writeHead(404).end('no such route')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        fn()
      }, ms)
      timers.add(timer)
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
