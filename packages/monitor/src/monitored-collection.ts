import type {
  Collection,
  CollectionStats,
  Filter,
  Metadata,
  ResolvedCollectionSpec,
  ScanOptions,
  SearchHit,
  SearchOptions,
  VectorRecord,
} from '@vectorkit/core'
import type { OpSeries, Recorder } from './recorder'
import { COLLECTION_OPERATIONS, SLOT } from './recorder'

/**
 * A {@link Collection} that times every call. The series objects are looked up once per
 * collection name and kept in `slots`, so a call costs two clock reads, a histogram record and
 * a few counter increments.
 */
export class MonitoredCollection<M extends Metadata = Metadata> implements Collection<M> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec
  private readonly inner: Collection<M>
  private readonly rec: Recorder
  private readonly slots: (OpSeries | undefined)[]

  constructor(inner: Collection<M>, rec: Recorder) {
    this.inner = inner
    this.rec = rec
    this.name = inner.name
    this.spec = inner.spec
    this.slots = rec.slots(inner.name)
  }

  private series(slot: number): OpSeries {
    let s = this.slots[slot]
    if (s === undefined) {
      s = this.rec.get(COLLECTION_OPERATIONS[slot] as string, this.name)
      this.slots[slot] = s
    }
    return s
  }

  async search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]> {
    const s = this.slots[SLOT.search] ?? this.series(SLOT.search)
    const t0 = this.rec.now()
    try {
      const hits = await this.inner.search(query, options)
      this.rec.done(s, t0)
      return hits
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  async upsert(records: VectorRecord<M>[]): Promise<void> {
    const s = this.slots[SLOT.upsert] ?? this.series(SLOT.upsert)
    const t0 = this.rec.now()
    try {
      await this.inner.upsert(records)
      this.rec.done(s, t0)
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  async get(ids: string[]): Promise<VectorRecord<M>[]> {
    const s = this.slots[SLOT.get] ?? this.series(SLOT.get)
    const t0 = this.rec.now()
    try {
      const records = await this.inner.get(ids)
      this.rec.done(s, t0)
      return records
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  async delete(target: string[] | { filter: Filter<M> }): Promise<number> {
    const s = this.slots[SLOT.delete] ?? this.series(SLOT.delete)
    const t0 = this.rec.now()
    try {
      const n = await this.inner.delete(target)
      this.rec.done(s, t0)
      return n
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  async count(filter?: Filter<M>): Promise<number> {
    const s = this.slots[SLOT.count] ?? this.series(SLOT.count)
    const t0 = this.rec.now()
    try {
      const n = await this.inner.count(filter)
      this.rec.done(s, t0)
      return n
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  async stats(): Promise<CollectionStats> {
    const s = this.slots[SLOT.stats] ?? this.series(SLOT.stats)
    const t0 = this.rec.now()
    try {
      const st = await this.inner.stats()
      this.rec.done(s, t0)
      return st
    } catch (err) {
      this.rec.failed(s, t0, err)
      throw err
    }
  }

  /** Each batch fetch is one `scan` observation; stopping early still releases the inner scan. */
  async *scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]> {
    const s = this.slots[SLOT.scan] ?? this.series(SLOT.scan)
    const it = this.inner.scan(options)[Symbol.asyncIterator]()
    let finished = false
    try {
      while (true) {
        const t0 = this.rec.now()
        let step: IteratorResult<VectorRecord<M>[]>
        try {
          step = await it.next()
        } catch (err) {
          finished = true
          this.rec.failed(s, t0, err)
          throw err
        }
        this.rec.done(s, t0)
        if (step.done) {
          finished = true
          return
        }
        yield step.value
      }
    } finally {
      if (!finished) await it.return?.()
    }
  }
}
