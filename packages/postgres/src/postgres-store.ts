import {
  type Capabilities,
  type ChangeEvent,
  type CollectionInfo,
  type CollectionSpec,
  type CreateCollectionOptions,
  type HealthCheck,
  type HealthReport,
  type Metadata,
  type VectorStore,
  VectorStoreError,
  validateCollectionName,
} from '@vectorkit/core'
import { sql } from 'kysely'
import { ChangeNotifier, channelFor } from './change-notifier'
import { createOwnedPool, type PoolErrorSink, resolveOptions } from './connection-options'
import { closedError, type Executor, KyselyExecutor, PoolExecutor } from './executor'
import { migrate } from './migrations'
import type { PgPoolLike, PostgresStoreOptions } from './options'
import { PostgresCollection } from './postgres-collection'
import { Registry } from './registry'
import type { StoreContext } from './store-context'

/**
 * True for pgvector versions with iterative index scans (0.8.0 and later).
 *
 * @example
 * ```ts
 * hasIterativeScan('0.8.0') // true
 * hasIterativeScan('0.7.4') // false
 * ```
 */
export function hasIterativeScan(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((x) => Number.parseInt(x, 10))
  return major > 0 || minor >= 8
}

/**
 * The PostgreSQL + pgvector backend. One schema (default `vectorkit`) holds a registry table and
 * one table per collection; see the package README for layout, pooling and error mapping.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.connect({ connectionString: process.env.DATABASE_URL })
 * const docs = await store.createCollection('docs', { dimensions: 3, metric: 'cosine' }, { ifNotExists: true })
 * await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' } }])
 * await store.close() // ends the pool only because the store created it
 * ```
 */
export class PostgresStore implements VectorStore {
  readonly backend = 'postgres'
  readonly capabilities: Capabilities
  /** pgvector version found at connect, e.g. `0.8.0`. */
  readonly pgvectorVersion: string
  /** The schema holding the registry and the collection tables (option `schema`, default `vectorkit`). */
  readonly schema: string
  /** Present only when `listenConnectionString` was given (see {@link PostgresStoreOptions}). */
  readonly subscribeChanges?: (listener: (event: ChangeEvent) => void) => () => void

  private readonly registry: Registry
  private inflight = 0
  private drained: (() => void) | undefined
  private closing: Promise<void> | undefined
  private purgeTimer: NodeJS.Timeout | undefined
  private lastPurgeError: unknown
  private readonly ctx: StoreContext

  private constructor(
    executor: Executor,
    private readonly ownedPool: PgPoolLike | undefined,
    private readonly sink: PoolErrorSink,
    private readonly notifier: ChangeNotifier | undefined,
    o: ReturnType<typeof resolveOptions>,
    pgvectorVersion: string,
  ) {
    this.pgvectorVersion = pgvectorVersion
    this.schema = o.schema
    this.ctx = {
      executor,
      schema: o.schema,
      statementTimeoutMs: o.statementTimeoutMs,
      maxScanTuples: o.maxScanTuples,
      iterativeScan: hasIterativeScan(pgvectorVersion),
      ingest: o.ingest ?? (o.source === 'kysely' ? 'unnest' : 'copy'),
      channel: channelFor(o.schema),
      track: (fn) => this.track(fn),
    }
    this.registry = new Registry(this.ctx)
    this.capabilities = {
      exactSearch: true,
      filters: true,
      scan: true,
      deleteByFilter: true,
      atomicBatches: true,
      hnsw: true,
      quantization: false,
      ttl: true,
      persistence: true,
      changeNotifications: notifier !== undefined,
    }
    if (notifier)
      this.subscribeChanges = (listener) => {
        if (this.closing) throw closedError()
        return notifier.subscribe(listener)
      }
    if (o.purgeIntervalMs > 0) {
      this.purgeTimer = setInterval(() => this.backgroundPurge(), o.purgeIntervalMs)
      this.purgeTimer.unref()
    }
  }

  /**
   * Connects, creates the schema / applies migrations when needed (under an advisory lock, safe
   * for concurrent starts), and starts the LISTEN connection when asked.
   *
   * @example
   * ```ts
   * const store = await PostgresStore.connect({ pool, schema: 'search' })
   * ```
   */
  static async connect(options: PostgresStoreOptions): Promise<PostgresStore> {
    const o = resolveOptions(options)
    const sink: PoolErrorSink = { lastIdleError: undefined }
    let owned: PgPoolLike | undefined
    let executor: Executor
    if (o.source === 'kysely') executor = new KyselyExecutor(options.kysely!)
    else {
      const pool = o.source === 'pool' ? options.pool! : createOwnedPool(options.connectionString!, o, sink)
      if (o.source === 'connectionString') owned = pool
      executor = new PoolExecutor(pool, o.ingest !== 'unnest')
    }
    let notifier: ChangeNotifier | undefined
    try {
      const { pgvectorVersion } = await migrate(executor, o.schema, o.statementTimeoutMs)
      // PGlite served over pglite-socket speaks the protocol but not COPY FROM STDIN: without an
      // explicit choice, ingest through unnest there instead of failing every upsert.
      // It also multiplexes one session across its connections, so interleaved transactions
      // would mix: a pool we own is held to a single connection there.
      if (o.source !== 'kysely' && (await serverIsPglite(executor))) {
        o.ingest ??= 'unnest'
        if (owned) singleConnection(owned)
      }
      if (options.listenConnectionString !== undefined) {
        if (typeof options.listenConnectionString !== 'string' || !options.listenConnectionString)
          throw new VectorStoreError('VALIDATION', 'listenConnectionString must be a non-empty string')
        const listNames = () => store.listCollections().then((cs) => cs.map((c) => c.name))
        notifier = new ChangeNotifier(
          options.listenConnectionString,
          channelFor(o.schema),
          o.connectionTimeoutMs,
          () => listNames(),
        )
        await notifier.start()
      }
      const store: PostgresStore = new PostgresStore(executor, owned, sink, notifier, o, pgvectorVersion)
      return store
    } catch (err) {
      await notifier?.close()
      await owned?.end().catch(() => undefined)
      if (/unsupported startup parameter/i.test(String((err as Error).message)))
        throw new VectorStoreError(
          'CONNECTION',
          'the server (a transaction-mode pooler such as PgBouncer) refused the statement_timeout startup parameter; pass transactionPooler: true',
          { cause: err },
        )
      throw err
    }
  }

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) throw closedError()
    this.inflight++
    try {
      return await fn()
    } finally {
      if (--this.inflight === 0) this.drained?.()
    }
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<PostgresCollection<M>> {
    const prepared = this.registry.prepare(name, spec)
    return this.track(async () => {
      const { entry, spec: resolved } = await this.registry.create(prepared, options?.ifNotExists === true)
      return new PostgresCollection<M>(this.ctx, entry, resolved)
    })
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<PostgresCollection<M>> {
    validateCollectionName(name)
    return this.track(async () => {
      const { entry, spec } = await this.registry.find(name)
      return new PostgresCollection<M>(this.ctx, entry, spec)
    })
  }

  listCollections(): Promise<CollectionInfo[]> {
    return this.track(() => this.registry.list())
  }

  async dropCollection(name: string): Promise<void> {
    validateCollectionName(name)
    await this.track(() => this.registry.drop(name))
  }

  /**
   * Deletes expired records from every collection now; returns how many. The background timer
   * (`purgeIntervalMs`) calls the same thing. Expired records are invisible to reads either way.
   */
  purgeExpired(): Promise<number> {
    return this.track(() => this.registry.purgeExpired())
  }

  private backgroundPurge(): void {
    if (this.closing) return
    this.purgeExpired().then(
      () => {
        this.lastPurgeError = undefined
      },
      (err: unknown) => {
        // Surfaced by health(); a timer has no caller to throw to.
        this.lastPurgeError = err
      },
    )
  }

  async health(): Promise<HealthReport> {
    return this.track(async () => {
      const checks: HealthCheck[] = []
      const started = performance.now()
      try {
        await this.ctx.executor.session('health', (s) => s.query({ sql: 'select 1', parameters: [] }))
        checks.push({
          name: 'postgres',
          status: 'healthy',
          latencyMs: performance.now() - started,
          details: { pgvector: this.pgvectorVersion, schema: this.ctx.schema },
        })
      } catch (err) {
        checks.push({
          name: 'postgres',
          status: 'unhealthy',
          latencyMs: performance.now() - started,
          message: err instanceof Error ? err.message : String(err),
          details: { pgvector: this.pgvectorVersion, code: (err as VectorStoreError).code },
        })
      }
      const counts = this.ctx.executor.poolCounts()
      if (counts) {
        checks.push({
          name: 'pool',
          status: counts.waiting > 0 ? 'degraded' : 'healthy',
          details: { ...counts, lastIdleError: this.sink.lastIdleError?.message ?? null },
        })
      }
      if (this.notifier)
        checks.push({ name: 'listen', status: this.notifier.connected ? 'healthy' : 'degraded' })
      if (this.lastPurgeError !== undefined)
        checks.push({ name: 'ttl-purge', status: 'degraded', message: String(this.lastPurgeError) })
      const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const
      const status = checks.reduce<HealthReport['status']>(
        (worst, c) => (rank[c.status] > rank[worst] ? c.status : worst),
        'healthy',
      )
      return { status, backend: this.backend, checks }
    })
  }

  /**
   * Stops new work (it gets `CLOSED`), waits for in-flight operations, stops the purge timer and
   * the LISTEN connection, and ends the pool only if the store created it. Idempotent.
   */
  close(): Promise<void> {
    if (!this.closing) {
      if (this.purgeTimer) clearInterval(this.purgeTimer)
      this.closing = (async () => {
        if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve))
        await this.notifier?.close()
        await this.ownedPool?.end()
      })()
    }
    return this.closing
  }
}

function singleConnection(pool: PgPoolLike): void {
  // pg.Pool reads options.max each time it decides whether to open another client.
  const options = (pool as { options?: { max?: number } }).options
  if (options) options.max = 1
}

async function serverIsPglite(executor: Executor): Promise<boolean> {
  const r = await executor.session('connect', (s) => s.query<{ v: string }>(sql`select version() as v`))
  return /emscripten|wasm|pglite/i.test(r.rows[0]?.v ?? '')
}
