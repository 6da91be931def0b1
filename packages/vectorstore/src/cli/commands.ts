import { createReadStream, createWriteStream } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { VectorStore } from '@vectorkit/core'
import { fileCheckpoint } from '../migrate/checkpoint'
import { type MigrateReport, migrate } from '../migrate/migrate'
import { redactUrl } from '../store-url'
import { exportStore, importStore } from '../transfer/export-import'
import type { VectorEncoding } from '../transfer/ndjson-format'
import { EXIT } from './exit-codes'
import { progressView } from './progress'

/**
 * What commands need from the outside world; tests pass their own.
 *
 * @example
 * ```ts
 * await runCli(['stats', 'memory:'], { stdout: process.stdout, env: {}, isTTY: false })
 * ```
 */
export interface CliIo {
  stdout: Writable
  stderr: Writable
  stdin: Readable
  env: Record<string, string | undefined>
  /** Opens a store from a URL (`undefined`: from the environment). */
  openStore: (url: string | undefined) => Promise<VectorStore>
  /** Whether stderr is a terminal (progress bar) or a pipe (progress lines). */
  isTTY: boolean
  /** Aborted on Ctrl-C: a migration stops between batches with its checkpoint saved. */
  signal?: AbortSignal
}

async function withStore<T>(
  io: CliIo,
  url: string | undefined,
  fn: (s: VectorStore) => Promise<T>,
): Promise<T> {
  const store = await io.openStore(url)
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

function say(out: Writable, text: string): void {
  out.write(`${text}\n`)
}

/**
 * Flags of `vectorkit migrate`, as commander parses them.
 *
 * @example
 * ```ts
 * const flags: MigrateFlags = { from: 'memory:./a', to: 'memory:./b', batchSize: 1000, concurrency: 2, checkpoint: 'cp.json', verify: true, samples: 20, minOverlap: 0 }
 * ```
 */
export interface MigrateFlags {
  from: string
  to: string
  collection?: string[]
  batchSize: number
  concurrency: number
  checkpoint: string
  resume?: boolean
  merge?: boolean
  replace?: boolean
  verify: boolean
  samples: number
  minOverlap: number
  json?: boolean
  quiet?: boolean
}

/**
 * `vectorkit migrate`: copy with progress, checkpoint after every batch, verify.
 *
 * @example
 * ```ts
 * const code = await migrateCommand(io, { from: 'memory:./a', to: 'postgres://db/app', batchSize: 1000, concurrency: 2, checkpoint: 'cp.json', verify: true, samples: 20, minOverlap: 0 })
 * ```
 */
export async function migrateCommand(io: CliIo, f: MigrateFlags): Promise<number> {
  const view = progressView(io.stderr, f.quiet || f.json ? 'quiet' : io.isTTY ? 'bar' : 'plain')
  let report: MigrateReport
  try {
    report = await withStore(io, f.from, (source) =>
      withStore(io, f.to, (target) =>
        migrate(source, target, {
          ...(f.collection?.length ? { collections: f.collection } : {}),
          batchSize: f.batchSize,
          concurrency: f.concurrency,
          checkpoint: fileCheckpoint(f.checkpoint),
          resume: f.resume ?? false,
          ifExists: f.replace ? 'replace' : f.merge ? 'merge' : 'error',
          verify: f.verify ? { samples: f.samples, minOverlap: f.minOverlap } : false,
          onProgress: (p) => view.update(p),
          ...(io.signal ? { signal: io.signal } : {}),
        }),
      ),
    )
  } finally {
    view.stop()
  }
  if (f.json) say(io.stdout, JSON.stringify(report, null, 2))
  else {
    say(
      io.stdout,
      `migrated ${report.rows} records from ${redactUrl(f.from)} to ${redactUrl(f.to)} in ${(report.copyMs / 1000).toFixed(1)} s (${Math.round(report.rowsPerSec)} rows/s)`,
    )
    for (const c of report.collections) {
      const v = c.verification
      const check = v
        ? `counts ${v.sourceCount} → ${v.targetCount}${v.countsMatch ? '' : ' MISMATCH'}, overlap@${v.k} ${v.overlapAtK.toFixed(3)} (min ${v.minOverlapAtK.toFixed(2)}, ${v.samples} queries)${v.ok ? '' : ' FAILED'}`
        : 'not verified'
      const how = c.skipped ? 'already done' : c.resumedAfter ? `resumed after ${c.resumedAfter}` : 'copied'
      say(io.stdout, `  ${c.name}: ${c.copied} records ${how}; ${check}`)
    }
    say(io.stdout, `checkpoint: ${f.checkpoint}`)
  }
  return report.ok ? EXIT.ok : EXIT.verifyFailed
}

/**
 * `vectorkit export`: the line-delimited format to a file or stdout.
 *
 * @example
 * ```ts
 * await exportCommand(io, { from: 'memory:./data', output: 'dump.ndjson', vectorFormat: 'base64' })
 * ```
 */
export async function exportCommand(
  io: CliIo,
  f: { from?: string; collection?: string[]; output?: string; vectorFormat: VectorEncoding; quiet?: boolean },
): Promise<number> {
  const toFile = f.output !== undefined && f.output !== '-'
  const out = toFile ? createWriteStream(f.output!) : io.stdout
  const report = await withStore(io, f.from, (store) =>
    exportStore(store, out, {
      ...(f.collection?.length ? { collections: f.collection } : {}),
      vectorEncoding: f.vectorFormat,
    }),
  )
  if (toFile) {
    out.end()
    await finished(out)
  }
  if (!f.quiet)
    say(io.stderr, `exported ${report.records} records in ${report.collections.length} collections`)
  return EXIT.ok
}

/**
 * `vectorkit import`: the line-delimited format from a file or stdin.
 *
 * @example
 * ```ts
 * await importCommand(io, { to: 'memory:./data', input: 'dump.ndjson', batchSize: 1000 })
 * ```
 */
export async function importCommand(
  io: CliIo,
  f: { to?: string; input?: string; batchSize: number; merge?: boolean; replace?: boolean; quiet?: boolean },
): Promise<number> {
  const input = f.input !== undefined && f.input !== '-' ? createReadStream(f.input) : io.stdin
  const report = await withStore(io, f.to, (store) =>
    importStore(store, input, {
      batchSize: f.batchSize,
      ifExists: f.replace ? 'replace' : f.merge ? 'merge' : 'error',
    }),
  )
  if (!f.quiet)
    say(
      io.stderr,
      `imported ${report.records} records into ${report.collections.map((c) => `${c.name} (${c.records})`).join(', ') || 'no collections'}`,
    )
  return EXIT.ok
}

/**
 * `vectorkit stats`: collections, counts and index parameters.
 *
 * @example
 * ```ts
 * await statsCommand(io, 'postgres://db/app', { json: true })
 * ```
 */
export async function statsCommand(
  io: CliIo,
  url: string | undefined,
  f: { json?: boolean },
): Promise<number> {
  const stats = await withStore(io, url, async (store) => {
    const infos = await store.listCollections()
    return {
      backend: store.backend,
      collections: await Promise.all(infos.map(async (i) => (await store.collection(i.name)).stats())),
    }
  })
  if (f.json) {
    say(io.stdout, JSON.stringify(stats, null, 2))
    return EXIT.ok
  }
  say(io.stdout, `backend: ${stats.backend}, ${stats.collections.length} collections`)
  for (const s of stats.collections) {
    const idx =
      s.index.type === 'hnsw'
        ? `hnsw m=${s.index.m} efConstruction=${s.index.efConstruction} efSearch=${s.index.efSearch} quantization=${s.index.quantization}`
        : 'flat'
    say(
      io.stdout,
      `  ${s.name}: ${s.count} records, ${s.dimensions} dims, ${s.metric}, ${idx}, ${(s.bytes / 1048576).toFixed(1)} MiB${s.tombstones ? `, ${s.tombstones} tombstones` : ''}`,
    )
  }
  return EXIT.ok
}

/**
 * `vectorkit health`: the store's checks; the exit code says healthy (0), degraded (6), unhealthy (7).
 *
 * @example
 * ```ts
 * const code = await healthCommand(io, undefined, {}) // 0, 6 or 7
 * ```
 */
export async function healthCommand(
  io: CliIo,
  url: string | undefined,
  f: { json?: boolean },
): Promise<number> {
  const report = await withStore(io, url, (store) => store.health())
  if (f.json) say(io.stdout, JSON.stringify(report, null, 2))
  else {
    say(io.stdout, `${report.backend}: ${report.status}`)
    for (const c of report.checks)
      say(
        io.stdout,
        `  ${c.status.padEnd(9)} ${c.name}${c.latencyMs !== undefined ? ` (${c.latencyMs.toFixed(1)} ms)` : ''}${c.message ? ` — ${c.message}` : ''}`,
      )
  }
  return report.status === 'healthy' ? EXIT.ok : report.status === 'degraded' ? EXIT.degraded : EXIT.unhealthy
}
