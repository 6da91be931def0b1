import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HealthReport } from '@vectorkit/core'
import { VectorStoreError } from '@vectorkit/core'
import type { Registry } from 'prom-client'
import { httpStatusOf } from './health'

/**
 * Options of `serveMetrics`.
 *
 * @example
 * ```ts
 * await monitored.serveMetrics({ host: '0.0.0.0', port: 9464 })
 * ```
 */
export interface ServeMetricsOptions {
  /** Interface to listen on. Default `127.0.0.1` (only this machine); `0.0.0.0` for all. */
  host?: string
  /** TCP port. Default `9464` (the conventional Prometheus exporter port); `0` picks a free one. */
  port?: number
}

/**
 * A running metrics server.
 *
 * @example
 * ```ts
 * const server = await serveMetrics(monitored, { port: 0 })
 * console.log(server.url) // http://127.0.0.1:40123
 * await server.close()
 * ```
 */
export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * What the server needs from a monitored store: a registry and a health check.
 *
 * @example
 * ```ts
 * const servable: ServableStore = withMonitor(store)
 * await serveMetrics(servable, { port: 0 })
 * ```
 */
export interface ServableStore {
  readonly registry: Registry
  health(): Promise<HealthReport>
}

/**
 * Serves `GET /metrics` (Prometheus text exposition from the store's registry) and
 * `GET /health` (the aggregated health report as JSON: 200 when healthy or degraded, 503 when
 * unhealthy). Anything else is 404.
 *
 * @example
 * ```ts
 * import { serveMetrics, withMonitor } from '@vectorkit/monitor'
 * const monitored = withMonitor(store)
 * const server = await serveMetrics(monitored, { host: '127.0.0.1', port: 9464 })
 * ```
 */
export async function serveMetrics(
  store: ServableStore,
  options: ServeMetricsOptions = {},
): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 9464
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new VectorStoreError(
      'VALIDATION',
      `serveMetrics: port must be an integer from 0 to 65535, got ${port}`,
    )
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const answer = async (): Promise<void> => {
      if (path === '/metrics') {
        const body = await store.registry.metrics()
        res.writeHead(200, { 'content-type': store.registry.contentType }).end(body)
      } else if (path === '/health') {
        const report = await store.health()
        res
          .writeHead(httpStatusOf(report.status), { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(report))
      } else {
        res
          .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
          .end('not found: try /metrics or /health\n')
      }
    }
    answer().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`${message}\n`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new VectorStoreError('CONNECTION', `serveMetrics: cannot listen on ${host}:${port}`, { cause: err }),
      ),
    )
    server.listen(port, host, () => resolve())
  })
  const bound = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}
