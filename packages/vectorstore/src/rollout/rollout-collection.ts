import {
  type Collection,
  type CollectionStats,
  type Filter,
  isVectorStoreError,
  type Metadata,
  type ResolvedCollectionSpec,
  type ScanOptions,
  type SearchHit,
  type SearchOptions,
  type VectorRecord,
} from '@vectorkit/core'
import { overlapAtK } from '../util/overlap'
import { snapshotRecords } from './outbox'
import type { RolloutStore } from './rollout-store'

interface Timed<T> {
  value: T
  ms: number
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now()
  const value = await work()
  return { value, ms: performance.now() - t0 }
}

/** Bad input fails the same way on both stores, so retrying it on the primary is pointless. */
function isInputError(err: unknown): boolean {
  return isVectorStoreError(err, 'VALIDATION') || isVectorStoreError(err, 'DIMENSION_MISMATCH')
}

/**
 * A collection of a {@link RolloutStore}: writes to both stores, reads routed or shadowed.
 *
 * @example
 * ```ts
 * const docs = await rollout.collection('docs') // a RolloutCollection
 * await docs.upsert(records) // primary, then secondary
 * ```
 */
export class RolloutCollection<M extends Metadata = Metadata> implements Collection<M> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec
  private secondaryHandle: Promise<Collection<M>> | undefined

  constructor(
    private readonly store: RolloutStore,
    private readonly primary: Collection<M>,
  ) {
    this.name = primary.name
    this.spec = primary.spec
  }

  private secondary(): Promise<Collection<M>> {
    // Cache the handle, but forget a failed lookup so a secondary that comes back is used again.
    this.secondaryHandle ??= this.store.secondary.collection<M>(this.name).catch((err) => {
      this.secondaryHandle = undefined
      throw err
    })
    return this.secondaryHandle
  }

  /** Runs a read on the routed store; a secondary that fails hands the read to the primary. */
  private async read<T>(work: (c: Collection<M>) => Promise<T>): Promise<T> {
    this.store.check()
    if (this.store.route() === 'primary') return work(this.primary)
    try {
      return await work(await this.secondary())
    } catch (err) {
      if (isInputError(err)) throw err
      return work(this.primary)
    }
  }

  async upsert(records: VectorRecord<M>[]): Promise<void> {
    this.store.check()
    await this.primary.upsert(records)
    await this.store.mirror({
      op: 'upsert',
      collection: this.name,
      records: snapshotRecords(records as VectorRecord[]),
    })
  }

  async delete(target: string[] | { filter: Filter<M> }): Promise<number> {
    this.store.check()
    const n = await this.primary.delete(target)
    await this.store.mirror({
      op: 'delete',
      collection: this.name,
      target: structuredClone(target) as string[] | { filter: Filter },
    })
    return n
  }

  get(ids: string[]): Promise<VectorRecord<M>[]> {
    return this.read((c) => c.get(ids))
  }

  count(filter?: Filter<M>): Promise<number> {
    return this.read((c) => c.count(filter))
  }

  stats(): Promise<CollectionStats> {
    return this.read((c) => c.stats())
  }

  async *scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]> {
    this.store.check()
    // A scan stays on one store from start to end so its cursor means one thing.
    const from = this.store.route() === 'primary' ? this.primary : await this.secondary()
    yield* from.scan(options)
  }

  async search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]> {
    this.store.check()
    if (!this.store.shadow || !this.store.inSync) return this.read((c) => c.search(query, options))
    const served = this.store.route()
    // The comparison outlives this call; the caller may reuse its query buffer afterwards.
    const q = Array.isArray(query) ? query.slice() : Array.from(query)
    const p = timed(() => this.primary.search(q, options))
    const s = timed(async () => (await this.secondary()).search(q, options))
    const k = options?.k ?? 10
    this.store.track(
      Promise.allSettled([p, s]).then(([pr, sr]) => {
        if (pr.status !== 'fulfilled' || sr.status !== 'fulfilled') return this.store.recordShadow(undefined)
        this.store.recordShadow({
          collection: this.name,
          k,
          overlap: overlapAtK(
            pr.value.value.map((h) => h.id),
            sr.value.value.map((h) => h.id),
            k,
          ),
          primaryMs: pr.value.ms,
          secondaryMs: sr.value.ms,
          served,
        })
      }),
    )
    if (served === 'primary') return (await p).value
    try {
      return (await s).value
    } catch (err) {
      if (isInputError(err)) throw err
      return (await p).value
    }
  }
}
