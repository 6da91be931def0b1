import {
  type Capabilities,
  type Collection,
  type CollectionInfo,
  type CollectionSpec,
  type CreateCollectionOptions,
  type HealthCheck,
  type HealthReport,
  type HealthStatus,
  type Metadata,
  type VectorStore,
  VectorStoreError,
  validationError,
} from '@vectorkit/core'
import { stickyBucket } from '../util/overlap'
import { currentCallerKey } from './caller-key'
import { type OutboxEntry, type OutboxState, ReplayOutbox } from './outbox'
import { RolloutCollection } from './rollout-collection'
import { type ShadowRecorder, type ShadowStats, ShadowTally } from './shadow'

/**
 * Options of {@link createRolloutStore} (the facade's `backend: 'rollout'` builds them from
 * config or environment).
 *
 * @example
 * ```ts
 * const store = createRolloutStore({ primary: memory, secondary: postgres, readPercent: 10, shadow: true })
 * ```
 */
export interface RolloutOptions {
  /** The source of truth: every write lands here first, and its failure fails the write. */
  primary: VectorStore
  /** The store being moved to: it receives every write after the primary, through the replay outbox. */
  secondary: VectorStore
  /** Share of reads (0–100) served by the secondary, sticky per caller key. Default 0. */
  readPercent?: number
  /** Send every search to both stores, serve the routed one, compare them. Default false. */
  shadow?: boolean
  /** Caller key of the current read; default the key set by `withCallerKey`. */
  callerKey?: () => string | undefined
  /** Receives each shadow read (the facade passes the monitor's recorder). */
  shadowRecorder?: ShadowRecorder
  /** First retry delay of a stalled outbox, doubled up to `maxRetryMs`. Default 1,000 ms. */
  retryMs?: number
  /**
   * Most records waiting in the outbox. Past it the outbox is dropped, `health()` says the
   * secondary must be resynchronised, and reads stay on the primary until `markResynced()`.
   * Default 100,000.
   */
  maxOutboxRecords?: number
  /** Longest retry delay. Default 30,000 ms. */
  maxRetryMs?: number
  /** Close both stores when this store closes. Default false (the caller opened them). */
  ownsStores?: boolean
  /** Random source for reads without a caller key; inject for reproducible tests. */
  random?: () => number
}

function andCaps(a: Capabilities, b: Capabilities): Capabilities {
  const out = { ...a }
  for (const key of Object.keys(out) as (keyof Capabilities)[]) out[key] = a[key] && b[key]
  return out
}

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 }

/** A store's health; a store that cannot even answer is reported unhealthy, not thrown. */
async function healthOf(store: VectorStore): Promise<HealthReport> {
  const t0 = performance.now()
  try {
    return await store.health()
  } catch (err) {
    return {
      status: 'unhealthy',
      backend: store.backend,
      checks: [
        {
          name: 'health',
          status: 'unhealthy',
          latencyMs: performance.now() - t0,
          message: err instanceof Error ? err.message : String(err),
        },
      ],
    }
  }
}

/**
 * A store over two stores during a move between backends: writes go to the primary and then
 * to the secondary (failed secondary writes wait in a replay outbox, drained when the
 * secondary returns); reads are split by percentage, sticky per caller key; shadow mode reads
 * both and compares them.
 *
 * @example
 * ```ts
 * const rollout = createRolloutStore({ primary: memory, secondary: postgres, readPercent: 25 })
 * const docs = await rollout.collection('docs')
 * await withCallerKey('user-7', () => docs.search(q)) // same backend for user-7 every time
 * rollout.setReadPercent(50)
 * ```
 */
export class RolloutStore implements VectorStore {
  readonly backend = 'rollout'
  readonly capabilities: Capabilities
  readonly primary: VectorStore
  readonly secondary: VectorStore
  readonly shadow: boolean
  private percent = 0
  private readonly outbox: ReplayOutbox
  private readonly tally = new ShadowTally()
  private readonly inflight = new Set<Promise<void>>()
  private retryTimer: NodeJS.Timeout | undefined
  private retryDelay: number
  private closed = false

  constructor(private readonly options: RolloutOptions) {
    if (!options?.primary || !options.secondary)
      throw validationError('rollout needs both a primary and a secondary store')
    if (options.primary === options.secondary)
      throw validationError('rollout needs two different stores as primary and secondary')
    this.primary = options.primary
    this.secondary = options.secondary
    this.shadow = options.shadow ?? false
    this.capabilities = andCaps(this.primary.capabilities, this.secondary.capabilities)
    this.setReadPercent(options.readPercent ?? 0)
    this.retryDelay = options.retryMs ?? 1000
    this.outbox = new ReplayOutbox(async () => this.secondary, options.maxOutboxRecords ?? 100_000)
  }

  /** Share of reads (0–100) served by the secondary. */
  get readPercent(): number {
    return this.percent
  }

  /** Changes the read split at run time; callers below the new percentage stay where they were. */
  setReadPercent(percent: number): void {
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100)
      throw validationError(`readPercent must be a number from 0 to 100, got ${String(percent)}`)
    this.percent = percent
  }

  /** Where the current read goes. The secondary only serves when it has every write. */
  route(): 'primary' | 'secondary' {
    if (this.percent <= 0 || this.outbox.behind) return 'primary'
    if (this.percent >= 100) return 'secondary'
    const key = this.options.callerKey ? this.options.callerKey() : currentCallerKey()
    const bucket =
      key === undefined ? Math.floor((this.options.random ?? Math.random)() * 100) : stickyBucket(key)
    return bucket < this.percent ? 'secondary' : 'primary'
  }

  /** True while the secondary has every write the primary has. */
  get inSync(): boolean {
    return !this.outbox.behind
  }

  /**
   * Declares the secondary resynchronised after an outbox overflow (for example after
   * `vectorkit migrate --from <primary> --to <secondary> --replace`): mirroring and routing resume.
   */
  markResynced(): void {
    this.outbox.reset()
  }

  /** Outbox size and last error. */
  outboxState(): OutboxState {
    return this.outbox.state()
  }

  /** Totals of shadow reads so far. */
  shadowStats(): ShadowStats {
    return this.tally.snapshot()
  }

  /** Replays the outbox now; resolves true when the secondary has caught up. */
  async drain(): Promise<boolean> {
    const done = await this.outbox.drain()
    if (done) {
      this.retryDelay = this.options.retryMs ?? 1000
      if (this.retryTimer) clearTimeout(this.retryTimer)
      this.retryTimer = undefined
    } else if (!this.outbox.overflowed) this.scheduleRetry()
    return done
  }

  /** Resolves when every background shadow comparison started so far has finished. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight])
  }

  /** Queues a secondary write behind any waiting ones, then tries to apply the queue. */
  async mirror(entry: OutboxEntry): Promise<void> {
    if (this.outbox.overflowed) return
    const behind = this.outbox.size > 0
    this.outbox.push(entry)
    // While the secondary is known to be down, writes must not each wait for it to fail again:
    // the retry timer drains the queue when it returns.
    if (behind && this.retryTimer) return
    await this.drain()
  }

  /** @internal Tracks a background shadow comparison so `settled()` and `close()` can wait. */
  track(work: Promise<void>): void {
    const p = work.finally(() => this.inflight.delete(p))
    this.inflight.add(p)
  }

  /** @internal */
  recordShadow(sample: Parameters<ShadowRecorder['recordShadowRead']>[0] | undefined): void {
    if (!sample) {
      this.tally.addError()
      return
    }
    this.tally.add(sample)
    this.options.shadowRecorder?.recordShadowRead(sample)
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return
    const delay = this.retryDelay
    this.retryDelay = Math.min(delay * 2, this.options.maxRetryMs ?? 30_000)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.drain()
    }, delay)
    // A stalled secondary must not keep the process alive.
    this.retryTimer.unref()
  }

  /** @internal Throws `CLOSED` once the store is closed (collection handles check it too). */
  check(): void {
    if (this.closed) throw new VectorStoreError('CLOSED', 'the rollout store is closed')
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<Collection<M>> {
    this.check()
    const col = await this.primary.createCollection<M>(name, spec, options)
    await this.mirror({ op: 'createCollection', name, spec: col.spec })
    return new RolloutCollection<M>(this, col)
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>> {
    this.check()
    return new RolloutCollection<M>(this, await this.primary.collection<M>(name))
  }

  async listCollections(): Promise<CollectionInfo[]> {
    this.check()
    return this.primary.listCollections()
  }

  async dropCollection(name: string): Promise<void> {
    this.check()
    await this.primary.dropCollection(name)
    await this.mirror({ op: 'dropCollection', name })
  }

  async health(): Promise<HealthReport> {
    const [p, s] = await Promise.all([healthOf(this.primary), healthOf(this.secondary)])
    const o = this.outbox.state()
    const outbox: HealthCheck = {
      name: 'rollout:outbox',
      status: o.pending > 0 || o.overflowed ? 'degraded' : 'healthy',
      message: o.overflowed
        ? 'the outbox overflowed: the secondary misses writes; resynchronise it (vectorkit migrate --replace), then call markResynced()'
        : o.pending > 0
          ? `${o.pending} writes (${o.pendingRecords} records) wait for the secondary; last error: ${o.lastError ?? 'none'}`
          : 'the secondary has every write',
      details: { ...o, readPercent: this.percent, shadow: this.shadow },
    }
    // The primary serves everything when the secondary is down, so that is degraded, not unhealthy.
    const secondaryStatus: HealthStatus = s.status === 'healthy' ? 'healthy' : 'degraded'
    const statuses: HealthStatus[] = [p.status, secondaryStatus, outbox.status]
    const status = statuses.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'healthy' as HealthStatus)
    return {
      status,
      backend: `rollout(${p.backend}->${s.backend})`,
      checks: [
        ...p.checks.map((c) => ({ ...c, name: `primary:${c.name}` })),
        ...s.checks.map((c) => ({ ...c, name: `secondary:${c.name}` })),
        outbox,
      ],
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    await this.settled()
    // One last chance to hand waiting writes to the secondary before they are lost with the process.
    if (this.outbox.size > 0) await this.outbox.drain()
    if (this.options.ownsStores) await Promise.all([this.primary.close(), this.secondary.close()])
  }
}

/**
 * Builds a {@link RolloutStore}. See {@link RolloutOptions}.
 *
 * @example
 * ```ts
 * const store = createRolloutStore({ primary, secondary, readPercent: 10, shadow: true })
 * ```
 */
export function createRolloutStore(options: RolloutOptions): RolloutStore {
  return new RolloutStore(options)
}
