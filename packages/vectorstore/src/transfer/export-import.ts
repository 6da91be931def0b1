import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import {
  type Collection,
  isVectorStoreError,
  LIMITS,
  type VectorRecord,
  type VectorStore,
  VectorStoreError,
  validationError,
} from '@vectorkit/core'
import { EXPORT_FORMAT, EXPORT_VERSION, formatRecord, parseLine, type VectorEncoding } from './ndjson-format'

/**
 * Options of {@link exportStore}.
 *
 * @example
 * ```ts
 * await exportStore(store, createWriteStream('docs.ndjson'), { collections: ['docs'], vectorEncoding: 'json' })
 * ```
 */
export interface ExportOptions {
  /** Collections to export; default all. */
  collections?: string[]
  /** Default `base64` (exact float32). */
  vectorEncoding?: VectorEncoding
  /** Records per scan batch. Default 1,000. */
  batchSize?: number
  /** Called after every batch with the records written so far. */
  onProgress?: (p: { collection: string; records: number }) => void
}

/**
 * Summary of an export or an import.
 *
 * @example
 * ```ts
 * const { records, collections } = await exportStore(store, process.stdout)
 * ```
 */
export interface TransferReport {
  collections: { name: string; records: number }[]
  records: number
}

async function write(out: Writable, chunk: string): Promise<void> {
  // Honour backpressure so a slow consumer (a pipe, a network disk) keeps memory flat.
  if (!out.write(chunk)) await once(out, 'drain')
}

/**
 * Writes collections to a stream in the vectorkit line-delimited format (see
 * {@link EXPORT_FORMAT}). Does not end the stream.
 *
 * @example
 * ```ts
 * const report = await exportStore(store, process.stdout)
 * ```
 */
export async function exportStore(
  store: VectorStore,
  out: Writable,
  options: ExportOptions = {},
): Promise<TransferReport> {
  const encoding = options.vectorEncoding ?? 'base64'
  if (encoding !== 'base64' && encoding !== 'json')
    throw validationError(`vectorEncoding must be "base64" or "json", got ${JSON.stringify(encoding)}`)
  const all = await store.listCollections()
  const infos = options.collections
    ? options.collections.map((name) => {
        const info = all.find((c) => c.name === name)
        if (!info) throw new VectorStoreError('NOT_FOUND', `no collection named ${name} to export`)
        return info
      })
    : all
  await write(out, `${JSON.stringify({ vectorkit: EXPORT_FORMAT, version: EXPORT_VERSION })}\n`)
  const report: TransferReport = { collections: [], records: 0 }
  for (const info of infos) {
    const col = await store.collection(info.name)
    const count = await col.count()
    await write(out, `${JSON.stringify({ collection: info.name, spec: info.spec, count })}\n`)
    let records = 0
    for await (const batch of col.scan({ batchSize: options.batchSize ?? 1000 })) {
      let chunk = ''
      for (const r of batch) chunk += `${formatRecord(r, encoding)}\n`
      await write(out, chunk)
      records += batch.length
      options.onProgress?.({ collection: info.name, records })
    }
    await write(out, `${JSON.stringify({ end: info.name, records })}\n`)
    report.collections.push({ name: info.name, records })
    report.records += records
  }
  return report
}

/**
 * Options of {@link importStore}.
 *
 * @example
 * ```ts
 * await importStore(store, createReadStream('docs.ndjson'), { ifExists: 'merge' })
 * ```
 */
export interface ImportOptions {
  /** Records per upsert, 1–10,000. Default 1,000. */
  batchSize?: number
  /** When a collection exists: `error` (default, unless it is empty), `merge` upserts into it, `replace` recreates it. */
  ifExists?: 'error' | 'merge' | 'replace'
  onProgress?: (p: { collection: string; records: number }) => void
}

/**
 * Reads the vectorkit line-delimited format from a stream into a store. Each upsert is one
 * batch; a bad record fails its batch (nothing of that batch is written) with the line number
 * in the message. A file that ends inside a collection is `CORRUPT_DATA`.
 *
 * @example
 * ```ts
 * const report = await importStore(store, process.stdin)
 * console.log(`${report.records} records imported`)
 * ```
 */
export async function importStore(
  store: VectorStore,
  input: Readable,
  options: ImportOptions = {},
): Promise<TransferReport> {
  const batchSize = options.batchSize ?? 1000
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > LIMITS.maxBatchSize)
    throw validationError(`batchSize must be an integer from 1 to ${LIMITS.maxBatchSize}, got ${batchSize}`)
  const report: TransferReport = { collections: [], records: 0 }
  let current: { col: Collection; name: string; records: number } | undefined
  let batch: VectorRecord[] = []
  let batchLines: number[] = []
  let lineNo = 0
  let sawFormat = false

  const flush = async () => {
    if (!current || batch.length === 0) return
    try {
      await current.col.upsert(batch)
    } catch (err) {
      throw withLine(err, batchLines)
    }
    current.records += batch.length
    report.records += batch.length
    batch = []
    batchLines = []
    options.onProgress?.({ collection: current.name, records: current.records })
  }

  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const text of lines) {
    lineNo++
    if (text.trim() === '') continue
    const line = parseLine(text, lineNo)
    if (!sawFormat && line.kind !== 'format')
      throw new VectorStoreError(
        'CORRUPT_DATA',
        `line ${lineNo}: expected the format line {"vectorkit":"ndjson",...} first`,
      )
    if (line.kind === 'format') {
      sawFormat = true
    } else if (line.kind === 'header') {
      if (current)
        throw new VectorStoreError('CORRUPT_DATA', `line ${lineNo}: collection ${current.name} has no footer`)
      const col = await openForImport(store, line.collection, line.spec, options.ifExists ?? 'error')
      current = { col, name: line.collection, records: 0 }
    } else if (line.kind === 'record') {
      if (!current)
        throw new VectorStoreError('CORRUPT_DATA', `line ${lineNo}: a record outside any collection`)
      batchLines.push(lineNo)
      batch.push(line.record)
      if (batch.length >= batchSize) await flush()
    } else {
      if (!current || current.name !== line.collection)
        throw new VectorStoreError(
          'CORRUPT_DATA',
          `line ${lineNo}: footer of ${line.collection} without its header`,
        )
      await flush()
      if (current.records !== line.records)
        throw new VectorStoreError(
          'CORRUPT_DATA',
          `line ${lineNo}: collection ${current.name} has ${current.records} records; its footer says ${line.records}`,
        )
      report.collections.push({ name: current.name, records: current.records })
      current = undefined
    }
  }
  if (!sawFormat) throw new VectorStoreError('CORRUPT_DATA', 'the input is empty: no vectorkit format line')
  if (current) {
    await flush()
    throw new VectorStoreError(
      'CORRUPT_DATA',
      `the input ends inside collection ${current.name} (no footer): the file is truncated; ${current.records} records were imported`,
    )
  }
  return report
}

async function openForImport(
  store: VectorStore,
  name: string,
  spec: Parameters<VectorStore['createCollection']>[1],
  ifExists: 'error' | 'merge' | 'replace',
): Promise<Collection> {
  const exists = (await store.listCollections()).some((c) => c.name === name)
  if (exists) {
    if (ifExists === 'replace') await store.dropCollection(name)
    else if (ifExists === 'error' && (await (await store.collection(name)).count()) > 0)
      throw new VectorStoreError(
        'CONFLICT',
        `collection ${name} already holds records; use ifExists 'merge' (--merge) or 'replace' (--replace)`,
      )
  }
  return store.createCollection(name, spec, { ifNotExists: true })
}

function withLine(err: unknown, lines: readonly number[]): unknown {
  if (!isVectorStoreError(err)) return err
  const m = /^records\[(\d+)\]/.exec(String(err.details?.path ?? ''))
  const line = m ? lines[Number(m[1])] : undefined
  if (line === undefined) return err
  return new VectorStoreError(err.code, `line ${line}: ${err.message}`, {
    cause: err,
    details: { ...err.details, line },
  })
}
