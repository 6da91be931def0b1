import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Prng } from '../prng'
import { type BenchMetric, exactTopK } from './exact'
import { generateClustered } from './synthetic'

export type { BenchMetric } from './exact'

/** Repository root (bench/src/datasets → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
/** Binary dataset and ground-truth cache (gitignored). */
export const CACHE_DIR = join(REPO_ROOT, 'bench/.cache')

/** Names of the datasets. */
export type DatasetId = 'sift-5k' | 'clustered-768'

/**
 * Which rows of which dataset a job uses. Rows are prefixes: the first n rows of the clustered
 * set are the same whatever the total, so a smaller run is a subset of the full one.
 *
 * @example
 * ```ts
 * const spec: DatasetSpec = { id: 'clustered-768', n: 10_000, nQueries: 200 }
 * ```
 */
export interface DatasetSpec {
  id: DatasetId
  n: number
  nQueries: number
}

/** A dataset in memory: row-major float32 base and queries, and a filter attribute per row. */
export interface Dataset extends DatasetSpec {
  metric: BenchMetric
  dim: number
  base: Float32Array
  queries: Float32Array
  /** Per base row, uniform in 0..99 (seeded): `bucket = 0` selects 1%, `bucket < 10` selects 10%. */
  buckets: Uint8Array
}

/** Filter variants: the name used in rows and cache files, and the row predicate. */
export const FILTERS = {
  none: { selectivity: 1, match: (_b: number) => true },
  'sel-1pct': { selectivity: 0.01, match: (b: number) => b === 0 },
  'sel-10pct': { selectivity: 0.1, match: (b: number) => b < 10 },
} as const
export type FilterName = keyof typeof FILTERS

const BUCKET_SEED = 0x5eed0004
const DIMS: Record<DatasetId, { dim: number; metric: BenchMetric }> = {
  'sift-5k': { dim: 128, metric: 'l2' },
  'clustered-768': { dim: 768, metric: 'cosine' },
}

/** Cache file stem of a spec. */
export function datasetKey(spec: DatasetSpec): string {
  return `${spec.id}-n${spec.n}-q${spec.nQueries}`
}

type Progress = (label: string, done: number, total: number) => void

/**
 * Makes sure the dataset and its ground truth (every filter variant) are cached on disk,
 * generating what is missing. Returns nothing: jobs load from the cache.
 */
export async function prepareDataset(spec: DatasetSpec, k: number, onProgress?: Progress): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true })
  const key = datasetKey(spec)
  if (!existsSync(file(key, 'queries.f32'))) {
    const { dim } = DIMS[spec.id]
    let base: Float32Array
    let queries: Float32Array
    if (spec.id === 'sift-5k') {
      const s = loadSift(REPO_ROOT)
      base = s.base.slice(0, spec.n * dim)
      queries = s.queries.slice(0, spec.nQueries * dim)
      if (base.length !== spec.n * dim || queries.length !== spec.nQueries * dim) {
        throw new Error(`sift-5k has ${s.base.length / dim} base rows and ${s.queries.length / dim} queries`)
      }
    } else {
      ;({ base, queries } = generateClustered({
        n: spec.n,
        nQueries: spec.nQueries,
        dim,
        onProgress: (d, t) => onProgress?.(`generate ${key}`, d, t),
      }))
    }
    atomicWrite(file(key, 'base.f32'), base)
    atomicWrite(file(key, 'buckets.u8'), makeBuckets(spec.n))
    atomicWrite(file(key, 'queries.f32'), queries)
  }
  const ds = loadDataset(spec)
  for (const name of Object.keys(FILTERS) as FilterName[]) {
    if (existsSync(file(key, `gt-${name}-k${k}.i32`))) continue
    const mask = name === 'none' ? undefined : filterMask(ds, name)
    const gt = new Int32Array(ds.nQueries * k)
    // Chunks of queries, yielding between them, so progress reaches the terminal.
    const chunk = 32
    for (let q0 = 0; q0 < ds.nQueries; q0 += chunk) {
      const q1 = Math.min(ds.nQueries, q0 + chunk)
      const part = exactTopK({
        base: ds.base,
        dim: ds.dim,
        metric: ds.metric,
        queries: ds.queries.subarray(q0 * ds.dim, q1 * ds.dim),
        k,
        ...(mask ? { mask } : {}),
      })
      gt.set(part, q0 * k)
      onProgress?.(`ground truth ${key} ${name}`, q1, ds.nQueries)
      await new Promise((r) => setImmediate(r))
    }
    atomicWrite(file(key, `gt-${name}-k${k}.i32`), gt)
  }
}

/** Loads a prepared dataset from the cache. */
export function loadDataset(spec: DatasetSpec): Dataset {
  const key = datasetKey(spec)
  const { dim, metric } = DIMS[spec.id]
  const base = readF32(file(key, 'base.f32'))
  const queries = readF32(file(key, 'queries.f32'))
  const buckets = new Uint8Array(readFileSync(file(key, 'buckets.u8')))
  if (base.length !== spec.n * dim || queries.length !== spec.nQueries * dim || buckets.length !== spec.n) {
    throw new Error(`cache for ${key} has the wrong size; delete ${CACHE_DIR} and rerun`)
  }
  return { ...spec, dim, metric, base, queries, buckets }
}

/** Exact top-k row indices (row-major nQueries × k) for one filter variant. */
export function loadGroundTruth(spec: DatasetSpec, filter: FilterName, k: number): Int32Array {
  const buf = readFileSync(file(datasetKey(spec), `gt-${filter}-k${k}.i32`))
  return new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
}

/** 1 for rows matching the filter variant. */
export function filterMask(ds: Dataset, name: FilterName): Uint8Array {
  const f = FILTERS[name]
  const mask = new Uint8Array(ds.n)
  for (let r = 0; r < ds.n; r++) mask[r] = f.match(ds.buckets[r]!) ? 1 : 0
  return mask
}

/** The per-row filter attribute: uniform 0..99 from its own seeded stream (prefix-stable). */
export function makeBuckets(n: number): Uint8Array {
  const rng = new Prng(BUCKET_SEED)
  const out = new Uint8Array(n)
  for (let r = 0; r < n; r++) out[r] = rng.int(100)
  return out
}

function file(key: string, suffix: string): string {
  return join(CACHE_DIR, `${key}.${suffix}`)
}

function readF32(path: string): Float32Array {
  const buf = readFileSync(path)
  // Copy into a fresh, aligned buffer: Buffer pools may start at odd offsets.
  const out = new Float32Array(buf.byteLength / 4)
  new Uint8Array(out.buffer).set(buf)
  return out
}

function atomicWrite(path: string, data: ArrayBufferView): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  renameSync(tmp, path)
}

/** Where the real SIFT sample lives, relative to the repository root. */
export const SIFT_RELATIVE_PATH = '../shared/datasets/sift-5k.tsv'

/**
 * Loads `sift-5k.tsv` (5,000 × 128 integers, a 129th column with a row id) and splits it the
 * usual way: the first 4,500 rows are the base, the last 500 the queries.
 *
 * @example
 * ```ts
 * const { base, queries, dim } = loadSift('/work/main')
 * ```
 */
export function loadSift(repoRoot: string): { base: Float32Array; queries: Float32Array; dim: number } {
  const path = resolve(repoRoot, SIFT_RELATIVE_PATH)
  if (!existsSync(path)) {
    throw new Error(
      `sift-5k dataset not found at ${path} (expected ${SIFT_RELATIVE_PATH} relative to the repo root)`,
    )
  }
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
  const dim = 128
  const all = new Float32Array(lines.length * dim)
  lines.forEach((line, r) => {
    const cols = line.split('\t')
    if (cols.length < dim)
      throw new Error(`${path}: line ${r + 1} has ${cols.length} columns, expected ≥ ${dim}`)
    for (let i = 0; i < dim; i++) all[r * dim + i] = Number(cols[i])
  })
  const nBase = lines.length - 500
  return { base: all.slice(0, nBase * dim), queries: all.slice(nBase * dim), dim }
}
