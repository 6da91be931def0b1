import { type Collection, type VectorRecord, VectorStoreError } from '@vectorkit/core'
import type { MigrateOptions } from './migrate'

/**
 * A target's bulk-load entry point, reduced to what `migrate` uses.
 *
 * @example
 * ```ts
 * const load: BulkLoader | undefined = bulkLoaderOf(targetCollection)
 * ```
 */
export type BulkLoader = (batches: AsyncIterable<VectorRecord[]>) => Promise<{ indexMs: number }>

/**
 * The target's bulk-load path, when its backend has one (found by shape, not by import).
 *
 * @example
 * ```ts
 * const load = bulkLoaderOf(pgDocs)
 * if (load) console.log((await load(batches)).indexMs)
 * ```
 */
export function bulkLoaderOf(col: Collection): BulkLoader | undefined {
  const candidate = (col as { bulkLoad?: unknown }).bulkLoad
  return typeof candidate === 'function' ? (batches) => candidate.call(col, batches) : undefined
}

/**
 * The source's batches from a cursor. The next batch is read while the consumer writes the
 * current one, which overlaps source and target latency; `afterBatch` runs when the consumer
 * asks for more, i.e. once the previous batch is written, so the checkpoint cursor is always
 * a prefix of what the target holds.
 *
 * @example
 * ```ts
 * for await (const batch of trackedBatches(docs, undefined, { batchSize: 500 }, save)) await target.upsert(batch)
 * ```
 */
export async function* trackedBatches(
  from: Collection,
  after: string | undefined,
  options: MigrateOptions,
  afterBatch: (batch: VectorRecord[]) => Promise<void>,
): AsyncGenerator<VectorRecord[]> {
  const it = from
    .scan({ batchSize: options.batchSize ?? 1000, ...(after ? { after } : {}) })
    [Symbol.asyncIterator]()
  let next = it.next()
  try {
    for (;;) {
      const step = await next
      if (step.done) return
      const batch = step.value
      if (batch.length === 0) {
        next = it.next()
        continue
      }
      if (options.signal?.aborted)
        throw new VectorStoreError('CLOSED', 'migration aborted; resume from the checkpoint', {
          cause: options.signal.reason,
        })
      next = it.next()
      yield batch
      await afterBatch(batch)
    }
  } finally {
    // On failure the prefetched batch is abandoned: the error that stopped us is the one to report.
    next.catch(() => undefined)
    // Leaves no dangling scan (and, on Postgres, no open cursor) when a batch fails.
    await it.return?.(undefined)
  }
}

/** Smallest part worth a separate upsert: below it, per-statement overhead eats the gain. */
const MIN_PART = 250

/**
 * Writes one batch as `concurrency` parallel upserts. Waits for every part before reporting a
 * failure, so nothing of this batch is still being written when the caller moves on.
 *
 * @example
 * ```ts
 * await upsertSplit(targetDocs, batchOf2000, 2) // two upserts of 1,000 in parallel
 * ```
 */
export async function upsertSplit(to: Collection, batch: VectorRecord[], concurrency: number): Promise<void> {
  const parts = Math.min(concurrency, Math.floor(batch.length / MIN_PART))
  if (parts <= 1) return to.upsert(batch)
  const size = Math.ceil(batch.length / parts)
  const results = await Promise.allSettled(
    Array.from({ length: parts }, (_, i) => to.upsert(batch.slice(i * size, (i + 1) * size))),
  )
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}

/**
 * Writes every batch of `stream` with {@link upsertSplit} and yields nothing: handed to a
 * bulk loader, the writes happen after it dropped the index and before it builds it, in
 * parallel instead of one batch at a time.
 *
 * @example
 * ```ts
 * await pgDocs.bulkLoad(writeAll(batches, pgDocs, 2)) // loads in parallel, builds the index once
 * ```
 */
export function writeAll(
  stream: AsyncIterable<VectorRecord[]>,
  to: Collection,
  concurrency: number,
): AsyncIterable<VectorRecord[]> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<VectorRecord[]>> => {
        for await (const batch of stream) await upsertSplit(to, batch, concurrency)
        return { done: true, value: undefined }
      },
    }),
  }
}
