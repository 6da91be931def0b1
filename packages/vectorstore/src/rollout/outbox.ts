import type { CollectionSpec, Filter, VectorRecord, VectorStore } from '@vectorkit/core'

/**
 * One write the secondary has not applied yet, in the order the primary applied it.
 *
 * @example
 * ```ts
 * const entry: OutboxEntry = { op: 'delete', collection: 'docs', target: ['a', 'b'] }
 * ```
 */
export type OutboxEntry =
  | { op: 'createCollection'; name: string; spec: CollectionSpec }
  | { op: 'dropCollection'; name: string }
  | { op: 'upsert'; collection: string; records: VectorRecord[] }
  | { op: 'delete'; collection: string; target: string[] | { filter: Filter } }

/**
 * The state of a {@link ReplayOutbox}, as shown by `health()`.
 *
 * @example
 * ```ts
 * const { pending, lastError } = rolloutOf(store)!.outboxState()
 * ```
 */
export interface OutboxState {
  /** Writes waiting. */
  pending: number
  /** Records inside the waiting upserts. */
  pendingRecords: number
  /** Message of the last failed attempt to reach the secondary. */
  lastError: string | undefined
  /** Writes applied to the secondary since the store was created. */
  applied: number
  /**
   * True once more than `maxOutboxRecords` records were waiting: the queue was dropped, the
   * secondary misses writes and must be resynchronised (then `markResynced()`).
   */
  overflowed: boolean
}

function weight(e: OutboxEntry): number {
  return e.op === 'upsert' ? e.records.length : 1
}

/**
 * Copies records so a caller reusing its buffers cannot change what will be replayed.
 *
 * @example
 * ```ts
 * const kept = snapshotRecords(records) // safe to keep after the caller reuses its buffers
 * ```
 */
export function snapshotRecords(records: VectorRecord[]): VectorRecord[] {
  return records.map((r) => ({
    id: r.id,
    vector: Float32Array.from(r.vector),
    ...(r.metadata === undefined ? {} : { metadata: structuredClone(r.metadata) }),
    ...(r.expiresAt === undefined ? {} : { expiresAt: new Date(r.expiresAt.getTime()) }),
  }))
}

/**
 * Writes that failed on the secondary, replayed in order when it comes back. Kept in process
 * memory: after a restart with a non-empty outbox, resynchronise with `vectorkit migrate`.
 * Once an entry is queued, every later secondary write queues behind it, so the secondary
 * applies writes in exactly the primary's order.
 *
 * @example
 * ```ts
 * const outbox = new ReplayOutbox(async () => secondary)
 * outbox.push({ op: 'upsert', collection: 'docs', records })
 * await outbox.drain() // true once the secondary has it all
 * ```
 */
export class ReplayOutbox {
  private readonly entries: OutboxEntry[] = []
  private records = 0
  private applied = 0
  private lastError: string | undefined
  private draining: Promise<boolean> | undefined
  private overflow = false

  constructor(
    private readonly secondary: () => Promise<VectorStore>,
    private readonly maxRecords = 100_000,
  ) {}

  get size(): number {
    return this.entries.length
  }

  /** True when the secondary may lack writes: some are queued, or the queue overflowed. */
  get behind(): boolean {
    return this.entries.length > 0 || this.overflow
  }

  get overflowed(): boolean {
    return this.overflow
  }

  /** Forgets an overflow once the secondary was resynchronised by other means. */
  reset(): void {
    this.overflow = false
  }

  push(entry: OutboxEntry, error?: unknown): void {
    if (this.overflow) return
    if (this.records + weight(entry) > this.maxRecords) {
      // Holding every write of a long outage would exhaust memory; past the bound the queue is
      // useless anyway (a resync is cheaper than replaying it), so drop it and say so.
      this.overflow = true
      this.entries.length = 0
      this.records = 0
      return
    }
    this.entries.push(entry)
    this.records += weight(entry)
    if (error !== undefined) this.lastError = error instanceof Error ? error.message : String(error)
  }

  state(): OutboxState {
    return {
      pending: this.entries.length,
      pendingRecords: this.records,
      lastError: this.lastError,
      applied: this.applied,
      overflowed: this.overflow,
    }
  }

  /** Replays waiting writes in order; resolves true when the outbox is empty. One drain at a time. */
  async drain(): Promise<boolean> {
    for (;;) {
      this.draining ??= this.run().finally(() => {
        this.draining = undefined
      })
      if (!(await this.draining)) return false
      // A write queued while a finishing run was settling would otherwise wait for the next one.
      if (this.entries.length === 0) return !this.overflow
    }
  }

  private async run(): Promise<boolean> {
    if (this.overflow) return false
    while (this.entries.length > 0) {
      const entry = this.entries[0]!
      try {
        await apply(await this.secondary(), entry)
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err)
        return false
      }
      this.entries.shift()
      this.records -= weight(entry)
      this.applied++
    }
    this.lastError = undefined
    return true
  }
}

async function apply(store: VectorStore, e: OutboxEntry): Promise<void> {
  switch (e.op) {
    case 'createCollection':
      // A replay after a half-applied attempt may find it already there; same spec is fine.
      await store.createCollection(e.name, e.spec, { ifNotExists: true })
      return
    case 'dropCollection':
      if ((await store.listCollections()).some((c) => c.name === e.name)) await store.dropCollection(e.name)
      return
    case 'upsert':
      await (await store.collection(e.collection)).upsert(e.records)
      return
    case 'delete':
      await (await store.collection(e.collection)).delete(e.target)
      return
  }
}
