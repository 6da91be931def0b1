import {
  type Collection,
  type CollectionInfo,
  LIMITS,
  type ResolvedCollectionSpec,
  specsEqual,
  type VectorRecord,
  type VectorStore,
  VectorStoreError,
  validationError,
} from '@vectorkit/core'
import type { CheckpointStore, MigrationCheckpoint } from './checkpoint'
import { bulkLoaderOf, trackedBatches, upsertSplit, writeAll } from './copy-stream'
import { type CollectionVerification, Sampler, type VerifyOptions, verifyCollection } from './verify'

/**
 * Progress reported after every batch (and once per phase change).
 *
 * @example
 * ```ts
 * onProgress: (p) => console.log(`${p.collection}: ${p.copied}/${p.total} at ${p.rowsPerSec | 0} rows/s`)
 * ```
 */
export interface MigrateProgress {
  phase: 'copy' | 'verify' | 'done'
  collection: string
  /** Records of this collection in the target so far (including earlier runs when resuming). */
  copied: number
  /** Records of this collection in the source when the copy started. */
  total: number
  /** Batches upserted in this run, for this collection. */
  batches: number
  collectionIndex: number
  collectionCount: number
  /** Copy rate of this run over all collections so far. */
  rowsPerSec: number
}

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * await migrate(memory, postgres, {
 *   collections: ['docs'],
 *   batchSize: 2000,
 *   checkpoint: fileCheckpoint('./docs.checkpoint.json'),
 *   resume: true,
 *   onProgress: (p) => console.log(p.copied, '/', p.total),
 * })
 * ```
 */
export interface MigrateOptions {
  /** Collections to copy; default every collection of the source. */
  collections?: string[]
  /** Records per scan batch and per upsert, 1–10,000. Default 1,000. */
  batchSize?: number
  onProgress?: (progress: MigrateProgress) => void
  /** Where progress is saved after every batch. Required for `resume`. */
  checkpoint?: CheckpointStore
  /** Continue from the saved checkpoint: done collections are skipped, others continue after their cursor. */
  resume?: boolean
  /**
   * When a target collection already holds records and this is not a resume: `error` (default)
   * refuses, `merge` upserts into it, `replace` drops and recreates it.
   */
  ifExists?: 'error' | 'merge' | 'replace'
  /** Count and search-agreement checks at the end; `false` skips them. Default `{ samples: 20, k: 10 }`. */
  verify?: VerifyOptions | false
  /**
   * Use the target collection's `bulkLoad` when it has one (PostgreSQL: drop the HNSW index,
   * COPY every batch, build the index once at the end). Default true. Searches on the target are
   * exact (unindexed) until the build ends.
   */
  bulkLoad?: boolean
  /**
   * Upserts in flight at once: each batch is split into this many parts written in parallel
   * (on PostgreSQL, over separate connections), and the checkpoint advances once every part
   * of the batch is in, so a resumed run still re-copies at most one batch. 1–16, default 2.
   */
  concurrency?: number
  /** Stops between batches with an `ABORTED`-style `CLOSED` error; the checkpoint stays valid. */
  signal?: AbortSignal
}

/**
 * What {@link migrate} did to one collection.
 *
 * @example
 * ```ts
 * const [docs] = (await migrate(a, b)).collections
 * console.log(docs.copied, docs.copyMs, docs.verification?.overlapAtK)
 * ```
 */
export interface CollectionMigrateReport {
  name: string
  spec: ResolvedCollectionSpec
  /** Records copied by this run. */
  copied: number
  /** Cursor this run started after, when it resumed. */
  resumedAfter?: string
  /** True when the checkpoint said the collection was already done. */
  skipped: boolean
  /** Copy time, without the index build. */
  copyMs: number
  /** Time the target spent building its index after a bulk load (0 when it indexes on insert). */
  indexMs: number
  verification?: CollectionVerification
}

/**
 * The result of {@link migrate}. `ok` is false when a verification failed.
 *
 * @example
 * ```ts
 * const report = await migrate(a, b)
 * if (!report.ok) throw new Error(JSON.stringify(report.collections.map((c) => c.verification)))
 * ```
 */
export interface MigrateReport {
  ok: boolean
  collections: CollectionMigrateReport[]
  /** Records copied by this run. */
  rows: number
  /** Wall time of copying (an index build after a bulk load excluded; verification excluded). */
  copyMs: number
  /** Time spent building target indexes after bulk loads. */
  indexMs: number
  rowsPerSec: number
  totalMs: number
}

/**
 * Copies collections from one store to another. It streams `scan()` into `upsert()` one batch
 * at a time (the next batch is read while the previous one is written), so memory stays flat
 * whatever the size. Target collections are created with the source's spec. With a
 * `checkpoint`, the cursor is saved after every batch; a run killed at any moment and started
 * again with `resume: true` re-copies at most one batch. The source should not change during
 * the copy (for a live move, use rollout mode).
 *
 * @example
 * ```ts
 * import { createVectorStore, migrate } from '@vectorkit/vectorstore'
 * const source = await createVectorStore({ backend: 'memory', path: './data' })
 * const target = await createVectorStore({ backend: 'postgres', databaseUrl: process.env.DATABASE_URL })
 * const report = await migrate(source, target, { batchSize: 2000 })
 * console.log(report.rowsPerSec, report.collections.map((c) => c.verification?.overlapAtK))
 * ```
 */
export async function migrate(
  source: VectorStore,
  target: VectorStore,
  options: MigrateOptions = {},
): Promise<MigrateReport> {
  const batchSize = options.batchSize ?? 1000
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > LIMITS.maxBatchSize)
    throw validationError(`batchSize must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${batchSize}`)
  const concurrency = options.concurrency ?? 2
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw validationError(`concurrency must be an integer from 1 to 16, got ${concurrency}`)
  if (options.resume && !options.checkpoint)
    throw validationError('resume needs a checkpoint to resume from (options.checkpoint)')
  const ifExists = options.ifExists ?? 'error'
  const started = performance.now()
  const infos = await selectCollections(source, options.collections)
  const saved = options.resume ? await options.checkpoint?.load() : undefined
  const checkpoint: MigrationCheckpoint = saved ?? {
    version: 1,
    startedAt: new Date().toISOString(),
    collections: {},
  }
  const reports: CollectionMigrateReport[] = []
  let rows = 0
  let copyMs = 0
  let indexMs = 0
  for (const [index, info] of infos.entries()) {
    const entry = checkpoint.collections[info.name]
    if (entry && !specsEqual(entry.spec, info.spec))
      throw new VectorStoreError(
        'CONFLICT',
        `the checkpoint of ${info.name} was made for a different spec; delete the checkpoint to start over`,
      )
    const ctx = { index, count: infos.length, rowsBefore: rows, msBefore: copyMs }
    const report = await copyCollection(
      source,
      target,
      info,
      checkpoint,
      entry !== undefined,
      ifExists,
      options,
      ctx,
    )
    rows += report.copied
    copyMs += report.copyMs
    indexMs += report.indexMs
    reports.push(report)
  }
  const ok = reports.every((r) => r.verification === undefined || r.verification.ok)
  return {
    ok,
    collections: reports,
    rows,
    copyMs,
    indexMs,
    rowsPerSec: copyMs > 0 ? (rows * 1000) / copyMs : 0,
    totalMs: performance.now() - started,
  }
}

async function selectCollections(
  source: VectorStore,
  names: string[] | undefined,
): Promise<CollectionInfo[]> {
  const all = await source.listCollections()
  if (!names) return all
  return names.map((name) => {
    const info = all.find((c) => c.name === name)
    if (!info) throw new VectorStoreError('NOT_FOUND', `the source has no collection named ${name}`)
    return info
  })
}

async function openTarget(
  target: VectorStore,
  info: CollectionInfo,
  resuming: boolean,
  ifExists: 'error' | 'merge' | 'replace',
): Promise<Collection> {
  const existing = (await target.listCollections()).find((c) => c.name === info.name)
  if (existing && !resuming) {
    const col = await target.collection(info.name)
    const n = await col.count()
    if (n > 0 && ifExists === 'error')
      throw new VectorStoreError(
        'CONFLICT',
        `target collection ${info.name} already holds ${n} records; drop it, or pass ifExists 'merge' or 'replace'`,
      )
    if (ifExists === 'replace') await target.dropCollection(info.name)
  }
  return target.createCollection(info.name, info.spec, { ifNotExists: true })
}

async function copyCollection(
  source: VectorStore,
  target: VectorStore,
  info: CollectionInfo,
  checkpoint: MigrationCheckpoint,
  resuming: boolean,
  ifExists: 'error' | 'merge' | 'replace',
  options: MigrateOptions,
  ctx: { index: number; count: number; rowsBefore: number; msBefore: number },
): Promise<CollectionMigrateReport> {
  const entry = checkpoint.collections[info.name] ?? { spec: info.spec, copied: 0, done: false }
  checkpoint.collections[info.name] = entry
  const from = await source.collection(info.name)
  const base = { name: info.name, spec: info.spec }
  const total = await from.count()
  const progress = (phase: MigrateProgress['phase'], batches: number, copied: number, ms: number) =>
    options.onProgress?.({
      phase,
      collection: info.name,
      copied: entry.copied,
      total,
      batches,
      collectionIndex: ctx.index,
      collectionCount: ctx.count,
      rowsPerSec: ctx.msBefore + ms > 0 ? ((ctx.rowsBefore + copied) * 1000) / (ctx.msBefore + ms) : 0,
    })
  if (entry.done) {
    const to = await target.collection(info.name)
    const verification = await maybeVerify(from, to, new Sampler(0, 1), options)
    return {
      ...base,
      copied: 0,
      skipped: true,
      copyMs: 0,
      indexMs: 0,
      ...(verification ? { verification } : {}),
    }
  }
  const to = await openTarget(target, info, resuming, ifExists)
  const resumedAfter = entry.after
  const sampler = new Sampler(verifySamples(options), 0x5eed)
  const t0 = performance.now()
  let copied = 0
  let batches = 0
  const afterBatch = async (batch: VectorRecord[]) => {
    for (const r of batch) sampler.offer(r.vector)
    copied += batch.length
    batches++
    entry.copied += batch.length
    entry.after = batch[batch.length - 1]!.id
    await options.checkpoint?.save(checkpoint)
    progress('copy', batches, copied, performance.now() - t0)
  }
  const stream = trackedBatches(from, entry.after, options, afterBatch)
  let indexMs = 0
  const loader = bulkLoaderOf(to)
  const concurrency = options.concurrency ?? 2
  if (loader && options.bulkLoad !== false && info.spec.index.type === 'hnsw') {
    // bulkLoad drops the index, writes the batches it is given one by one, then builds the
    // index. To write in parallel, the batches are written here, between those two steps.
    indexMs = (await loader(concurrency > 1 ? writeAll(stream, to, concurrency) : stream)).indexMs
  } else {
    for await (const batch of stream) await upsertSplit(to, batch, concurrency)
  }
  const copyMs = performance.now() - t0 - indexMs
  entry.done = true
  await options.checkpoint?.save(checkpoint)
  progress('verify', batches, copied, copyMs)
  const verification = await maybeVerify(from, to, sampler, options)
  progress('done', batches, copied, copyMs)
  return {
    ...base,
    copied,
    skipped: false,
    copyMs,
    indexMs,
    ...(resumedAfter !== undefined ? { resumedAfter } : {}),
    ...(verification ? { verification } : {}),
  }
}

function verifySamples(options: MigrateOptions): number {
  return options.verify === false ? 0 : (options.verify?.samples ?? 20)
}

async function maybeVerify(
  from: Collection,
  to: Collection,
  sampler: Sampler,
  options: MigrateOptions,
): Promise<CollectionVerification | undefined> {
  if (options.verify === false) return undefined
  return verifyCollection(from, to, sampler, options.verify ?? {})
}
