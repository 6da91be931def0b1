import { createConnection, createServer, type Server, type Socket } from 'node:net'

/** What the proxy does with traffic: forward it, forward it late, or swallow it. */
export type ProxyMode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'blackhole' }

/**
 * A TCP proxy in the test process (`node:net`) between the client and PostgreSQL, whose
 * behaviour a test switches at any time: `pass`, `delay` (every chunk, both ways, held for
 * `ms`), or `blackhole` (connections stay open, bytes vanish — a dead network path or a hung
 * server, which only client-side timeouts can detect).
 *
 * @example
 * ```ts
 * const proxy = await TcpProxy.start(5432)
 * proxy.mode = { kind: 'blackhole' }
 * ```
 */
export class TcpProxy {
  mode: ProxyMode = { kind: 'pass' }
  /** Client connections accepted so far. */
  accepted = 0
  /** Client connections that the client side closed or destroyed. */
  clientClosed = 0
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      let proxy: TcpProxy
      const server = createServer((client) => {
        proxy.accepted++
        const upstream = createConnection({ port: upstreamPort, host: upstreamHost })
        proxy.track(client)
        proxy.track(upstream)
        client.on('close', () => {
          proxy.clientClosed++
          upstream.destroy()
        })
        upstream.on('close', () => client.destroy())
        client.on('error', () => upstream.destroy())
        upstream.on('error', () => client.destroy())
        proxy.pipe(client, upstream)
        proxy.pipe(upstream, client)
      })
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        proxy = new TcpProxy(server, (server.address() as { port: number }).port)
        resolve(proxy)
      })
    })
  }

  /** Destroys every proxied connection (both sides). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy()
  }

  async close(): Promise<void> {
    this.dropAll()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private track(s: Socket): void {
    this.sockets.add(s)
    s.on('close', () => this.sockets.delete(s))
  }

  private pipe(from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      const mode = this.mode
      if (mode.kind === 'blackhole') return
      if (mode.kind === 'pass') {
        if (!to.destroyed) to.write(chunk)
        return
      }
      // Delay keeps order: every chunk waits the same time.
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, mode.ms)
    })
  }
}
