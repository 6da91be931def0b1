import { createHash } from 'node:crypto'
import type { ChangeEvent } from '@vectorkit/core'
import { sql } from 'kysely'
import pg from 'pg'
import { mapPgError } from './error-mapping'
import { compile } from './sql-compiler'

/**
 * The NOTIFY channel of a schema. Every write through any PostgresStore on that schema calls
 * `pg_notify(channel, '{"c":"<collection>","k":"write"|"drop"}')` inside its transaction, so
 * listeners hear about it only once it commits.
 *
 * @example
 * ```ts
 * channelFor('vectorkit') // 'vectorkit_changes_vectorkit'
 * ```
 */
export function channelFor(schema: string): string {
  const name = `vectorkit_changes_${schema}`
  // Channel names are identifiers: 63 bytes at most.
  return name.length <= 63
    ? name
    : `vectorkit_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`
}

type Listener = (event: ChangeEvent) => void

/**
 * Holds one dedicated session connection running `LISTEN` and fans notifications out to
 * subscribers. If the connection drops it reconnects with backoff and then reports a `write` for
 * every collection, because notifications sent while it was away are lost.
 *
 * @example
 * ```ts
 * const n = new ChangeNotifier(url, channelFor('vectorkit'), 10_000, listNames)
 * await n.start()
 * const off = n.subscribe((e) => cache.bump(e.collection))
 * ```
 */
export class ChangeNotifier {
  private client: pg.Client | undefined
  private readonly listeners = new Set<Listener>()
  private closed = false
  private retryMs = 100
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly connectionTimeoutMs: number,
    private readonly listCollections: () => Promise<string[]>,
  ) {}

  /** Connects and LISTENs; rejects with `CONNECTION`/`TIMEOUT` when the server cannot be reached. */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: this.connectionTimeoutMs,
      keepAlive: true,
      application_name: 'vectorkit-listen',
    })
    client.on('error', () => this.lost(client))
    client.on('end', () => this.lost(client))
    client.on('notification', (msg) => this.deliver(msg.payload))
    try {
      await client.connect()
      await client.query(compile(sql`listen ${sql.id(this.channel)}`).sql)
    } catch (err) {
      client.removeAllListeners('end')
      await client.end().catch(() => undefined)
      throw mapPgError(err, 'listen')
    }
    this.client = client
    this.retryMs = 100
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private emit(event: ChangeEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event)
      } catch (err) {
        // Same outcome as a throwing EventEmitter listener, without breaking the pg client.
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }

  private deliver(payload: string | undefined): void {
    if (!payload) return
    let parsed: { c?: unknown; k?: unknown }
    try {
      parsed = JSON.parse(payload) as { c?: unknown; k?: unknown }
    } catch {
      return // not ours: someone else NOTIFYing on this channel
    }
    if (typeof parsed.c !== 'string' || (parsed.k !== 'write' && parsed.k !== 'drop')) return
    this.emit({ collection: parsed.c, kind: parsed.k })
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.client !== client) return
    this.client = undefined
    client.removeAllListeners('end')
    client.end().catch(() => undefined)
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.reconnect()
    }, this.retryMs)
    this.timer.unref()
    this.retryMs = Math.min(this.retryMs * 2, 5000)
  }

  private reconnect(): void {
    this.start()
      .then(() => this.listCollections())
      .then((names) => {
        for (const collection of names) this.emit({ collection, kind: 'write' })
      })
      .catch(() => this.scheduleReconnect())
  }

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.client !== undefined
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.listeners.clear()
    const c = this.client
    this.client = undefined
    if (c) {
      c.removeAllListeners('end')
      await c.end().catch(() => undefined)
    }
  }
}
