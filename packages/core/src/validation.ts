import { VectorStoreError, validationError } from './errors'
import type { FilterNode } from './filter'
import { parseFilter } from './filter'
import { utf8Length } from './ids'
import { COLLECTION_NAME_PATTERN, HNSW_PROFILES, LIMITS } from './limits'
import type {
  CollectionSpec,
  Metadata,
  Metric,
  ResolvedCollectionSpec,
  ScanOptions,
  SearchOptions,
  VectorRecord,
} from './types'

const METRICS: readonly Metric[] = ['cosine', 'dot', 'l2']

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number') return String(v)
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  return typeof v === 'object' ? (v?.constructor?.name ?? 'an object') : `a ${typeof v}`
}

/**
 * Checks a collection name against {@link COLLECTION_NAME_PATTERN} and the 128-byte limit.
 *
 * @example
 * ```ts
 * validateCollectionName('user-42_memories') // ok
 * validateCollectionName('../etc')           // throws VALIDATION
 * ```
 */
export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string')
    throw validationError(`collection name must be a string, got ${describe(name)}`)
  if (name.length === 0) throw validationError('collection name must not be empty')
  const bytes = utf8Length(name)
  if (bytes > LIMITS.maxCollectionNameBytes)
    throw validationError(
      `collection name is ${bytes} bytes of UTF-8; the limit is ${LIMITS.maxCollectionNameBytes}`,
    )
  if (!COLLECTION_NAME_PATTERN.test(name) || name.normalize('NFC') !== name)
    throw validationError(
      `collection name ${describe(name)} is invalid: use a letter or digit, then letters, digits, "_" or "-"`,
    )
  return name
}

/** Checks one record id: a non-empty well-formed string of at most 512 UTF-8 bytes, without NUL. */
export function validateId(id: unknown, where = 'id'): string {
  if (typeof id !== 'string')
    throw validationError(`${where} must be a string, got ${describe(id)}`, { path: where })
  if (id.length === 0) throw validationError(`${where} must not be empty`, { path: where })
  if (!id.isWellFormed() || id.includes('\u0000'))
    throw validationError(`${where} must be well-formed Unicode without NUL`, { path: where })
  const bytes = utf8Length(id)
  if (bytes > LIMITS.maxIdBytes)
    throw validationError(`${where} is ${bytes} bytes of UTF-8; the limit is ${LIMITS.maxIdBytes}`, {
      path: where,
    })
  return id
}

/** Checks a list of ids (for `get` and `delete`). */
export function validateIds(ids: unknown, where = 'ids'): string[] {
  if (!Array.isArray(ids)) throw validationError(`${where} must be an array of strings, got ${describe(ids)}`)
  for (let i = 0; i < ids.length; i++) validateId(ids[i], `${where}[${i}]`)
  return ids as string[]
}

/** Checks a dimension count: an integer in 1–16,000. */
export function validateDimensions(dimensions: unknown): number {
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions < LIMITS.minDimensions ||
    dimensions > LIMITS.maxDimensions
  )
    throw validationError(
      `dimensions must be an integer from ${LIMITS.minDimensions} to ${LIMITS.maxDimensions}, got ${describe(dimensions)}`,
    )
  return dimensions
}

function intIn(v: unknown, lo: number, hi: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw validationError(`${what} must be an integer from ${lo} to ${hi}, got ${describe(v)}`)
  return v
}

/**
 * Validates a spec and fills in defaults (flat index; HNSW profile `balanced`; quantization
 * `none`; rerank `true`).
 *
 * @example
 * ```ts
 * resolveSpec({ dimensions: 3, metric: 'l2', index: { type: 'hnsw', profile: 'speed' } })
 * // { dimensions: 3, metric: 'l2', index: { type: 'hnsw', profile: 'speed', m: 16, efConstruction: 64, efSearch: 40, quantization: 'none', rerank: true } }
 * ```
 */
export function resolveSpec(spec: CollectionSpec): ResolvedCollectionSpec {
  if (spec === null || typeof spec !== 'object')
    throw validationError(`spec must be an object, got ${describe(spec)}`)
  const dimensions = validateDimensions(spec.dimensions)
  if (!METRICS.includes(spec.metric))
    throw validationError(`metric must be one of ${METRICS.join(', ')}, got ${describe(spec.metric)}`)
  const index = spec.index ?? { type: 'flat' }
  if (index === null || typeof index !== 'object') throw validationError('index must be an object')
  if (index.type === 'flat') return { dimensions, metric: spec.metric, index: { type: 'flat' } }
  if (index.type !== 'hnsw')
    throw validationError(
      `index.type must be "flat" or "hnsw", got ${describe((index as { type: unknown }).type)}`,
    )
  const profileName = index.profile ?? 'balanced'
  const profile = HNSW_PROFILES[profileName]
  if (!profile)
    throw validationError(`index.profile must be speed, balanced or quality, got ${describe(index.profile)}`)
  const m = intIn(index.m ?? profile.m, 2, 100, 'index.m')
  const efConstruction = intIn(
    index.efConstruction ?? profile.efConstruction,
    4,
    1000,
    'index.efConstruction',
  )
  if (efConstruction < m)
    throw validationError(`index.efConstruction (${efConstruction}) must be at least index.m (${m})`)
  const efSearch = intIn(index.efSearch ?? profile.efSearch, 1, 1000, 'index.efSearch')
  const quantization = index.quantization ?? 'none'
  if (quantization !== 'none' && quantization !== 'int8')
    throw validationError(`index.quantization must be "none" or "int8", got ${describe(quantization)}`)
  if (index.rerank !== undefined && typeof index.rerank !== 'boolean')
    throw validationError('index.rerank must be a boolean')
  return {
    dimensions,
    metric: spec.metric,
    index: {
      type: 'hnsw',
      ...(index.profile ? { profile: index.profile } : {}),
      m,
      efConstruction,
      efSearch,
      quantization,
      rerank: index.rerank ?? true,
    },
  }
}

/** True when two resolved specs describe the same collection (used by `ifNotExists`). */
export function specsEqual(a: ResolvedCollectionSpec, b: ResolvedCollectionSpec): boolean {
  if (a.dimensions !== b.dimensions || a.metric !== b.metric || a.index.type !== b.index.type) return false
  if (a.index.type === 'flat' || b.index.type === 'flat') return true
  return (
    a.index.m === b.index.m &&
    a.index.efConstruction === b.index.efConstruction &&
    a.index.efSearch === b.index.efSearch &&
    a.index.quantization === b.index.quantization &&
    a.index.rerank === b.index.rerank
  )
}

/**
 * Checks a vector: an array or Float32Array of finite numbers of the collection's length; for
 * cosine, not all zeros. Returns a Float32Array (a copy: callers may reuse their buffers),
 * written into `into` (exactly `dimensions` long) when given.
 */
export function validateVector(
  vector: unknown,
  dimensions: number,
  metric: Metric,
  where = 'vector',
  into?: Float32Array,
): Float32Array {
  const isArrayLike = Array.isArray(vector) || (ArrayBuffer.isView(vector) && !(vector instanceof DataView))
  if (!isArrayLike)
    throw validationError(`${where} must be an array of numbers or a Float32Array, got ${describe(vector)}`, {
      path: where,
    })
  const v = vector as ArrayLike<unknown>
  if (v.length !== dimensions)
    throw new VectorStoreError(
      'DIMENSION_MISMATCH',
      `${where} has ${v.length} dimensions; the collection has ${dimensions}`,
      {
        details: { path: where, expected: dimensions, actual: v.length },
      },
    )
  const out = into ?? new Float32Array(dimensions)
  let nonZero = false
  for (let i = 0; i < dimensions; i++) {
    const x = v[i]
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw validationError(`${where}[${i}] must be a finite number, got ${describe(x)}`, {
        path: `${where}[${i}]`,
      })
    const f = Math.fround(x)
    if (!Number.isFinite(f))
      throw validationError(`${where}[${i}] overflows float32 (${x})`, { path: `${where}[${i}]` })
    out[i] = f
    if (f !== 0) nonZero = true
  }
  if (metric === 'cosine' && !nonZero)
    throw validationError(`${where} is all zeros, which has no direction for cosine`, { path: where })
  return out
}

/**
 * Checks metadata: a plain JSON object (objects, arrays, strings, booleans, null, finite numbers
 * that are safe integers or floats), at most 32 levels deep and 64 KiB as JSON. Anything else —
 * `Date`, `undefined`, `NaN`, `Infinity`, `bigint`, functions, class instances, unsafe integers,
 * strings with NUL or lone surrogates — is rejected with its path, e.g. `metadata.tags[2]`.
 */
export function validateMetadata(metadata: unknown, where = 'metadata'): Metadata {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || !isPlain(metadata))
    throw validationError(`${where} must be a plain object, got ${describe(metadata)}`, { path: where })
  checkJson(metadata, where, 0)
  const bytes = utf8Length(JSON.stringify(metadata))
  if (bytes > LIMITS.maxMetadataBytes)
    throw validationError(`${where} is ${bytes} bytes as JSON; the limit is ${LIMITS.maxMetadataBytes}`, {
      path: where,
    })
  return metadata as Metadata
}

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v)
  return p === Object.prototype || p === null
}

function checkString(s: string, where: string): void {
  if (!s.isWellFormed() || s.includes('\u0000'))
    throw validationError(`${where} must be well-formed Unicode without NUL`, { path: where })
}

function checkJson(v: unknown, where: string, depth: number): void {
  if (depth > LIMITS.maxMetadataDepth)
    throw validationError(`${where} is nested deeper than ${LIMITS.maxMetadataDepth} levels`, { path: where })
  if (v === null || typeof v === 'boolean') return
  if (typeof v === 'string') {
    checkString(v, where)
    return
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw validationError(`${where} must be a finite number, got ${v}`, { path: where })
    if (Number.isInteger(v) && !Number.isSafeInteger(v))
      throw validationError(`${where} is an integer beyond ±2^53 (${v}), which JSON cannot carry exactly`, {
        path: where,
      })
    return
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (!(i in v))
        throw validationError(`${where}[${i}] is a hole in a sparse array`, { path: `${where}[${i}]` })
      checkJson(v[i], `${where}[${i}]`, depth + 1)
    }
    return
  }
  if (typeof v === 'object' && isPlain(v)) {
    for (const k of Object.keys(v)) {
      const at = `${where}.${k}`
      checkString(k, `${where} key ${JSON.stringify(k)}`)
      if (k === '__proto__') throw validationError(`${at}: the key "__proto__" is not allowed`, { path: at })
      checkJson((v as Record<string, unknown>)[k], at, depth + 1)
    }
    return
  }
  throw validationError(
    `${where} must be JSON (object, array, string, finite number, boolean or null), got ${describe(v)}`,
    {
      path: where,
    },
  )
}

/** A record after validation: vector as Float32Array, metadata checked. */
export interface ValidRecord {
  id: string
  vector: Float32Array
  metadata: Metadata | undefined
  expiresAt: Date | undefined
}

/**
 * Validates a whole upsert batch before anything is written. Duplicate ids in one batch are
 * allowed: the last one wins, as if upserted in order.
 *
 * @example
 * ```ts
 * const valid = validateRecords(records, collection.spec) // throws on the first bad record
 * ```
 */
export function validateRecords(records: unknown, spec: ResolvedCollectionSpec): ValidRecord[] {
  if (!Array.isArray(records)) throw validationError(`records must be an array, got ${describe(records)}`)
  if (records.length > LIMITS.maxBatchSize)
    throw validationError(
      `a batch holds at most ${LIMITS.maxBatchSize} records, got ${records.length}; split it`,
    )
  const out: ValidRecord[] = new Array(records.length)
  // One buffer for the batch's vectors: one small allocation per vector leaves the allocator's
  // heap fragmented (about 300 bytes of resident memory per vector ever written, measured).
  const dim = spec.dimensions
  const vectors = new Float32Array(records.length * dim)
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as VectorRecord | undefined
    const at = `records[${i}]`
    if (r === null || typeof r !== 'object')
      throw validationError(`${at} must be an object, got ${describe(r)}`, { path: at })
    const id = validateId(r.id, `${at}.id`)
    const vector = validateVector(
      r.vector,
      dim,
      spec.metric,
      `${at}.vector`,
      vectors.subarray(i * dim, (i + 1) * dim),
    )
    const metadata = r.metadata === undefined ? undefined : validateMetadata(r.metadata, `${at}.metadata`)
    let expiresAt: Date | undefined
    if (r.expiresAt !== undefined) {
      if (!(r.expiresAt instanceof Date) || Number.isNaN(r.expiresAt.getTime()))
        throw validationError(`${at}.expiresAt must be a valid Date`, { path: `${at}.expiresAt` })
      expiresAt = new Date(r.expiresAt.getTime())
    }
    out[i] = { id, vector, metadata, expiresAt }
  }
  return out
}

/** Search options after validation. */
export interface ValidSearchOptions {
  k: number
  filter: FilterNode
  minScore: number | undefined
  efSearch: number | undefined
  excludeIds: Set<string> | undefined
  includeVectors: boolean
  exact: boolean
}

/** Validates a query vector and search options together. */
export function validateSearch(
  query: unknown,
  options: SearchOptions | undefined,
  spec: ResolvedCollectionSpec,
): { query: Float32Array; options: ValidSearchOptions } {
  const q = validateVector(query, spec.dimensions, spec.metric, 'query')
  const o = options ?? {}
  if (o === null || typeof o !== 'object') throw validationError('search options must be an object')
  const k = o.k === undefined ? 10 : intIn(o.k, 1, LIMITS.maxK, 'k')
  if (o.minScore !== undefined && (typeof o.minScore !== 'number' || Number.isNaN(o.minScore)))
    throw validationError(`minScore must be a number, got ${describe(o.minScore)}`)
  const efSearch = o.efSearch === undefined ? undefined : intIn(o.efSearch, 1, 1000, 'efSearch')
  let excludeIds: Set<string> | undefined
  if (o.excludeIds !== undefined) {
    const ids = validateIds(o.excludeIds, 'excludeIds')
    if (ids.length > LIMITS.maxExcludeIds)
      throw validationError(`excludeIds holds at most ${LIMITS.maxExcludeIds} ids, got ${ids.length}`)
    if (ids.length > 0) excludeIds = new Set(ids)
  }
  if (o.includeVectors !== undefined && typeof o.includeVectors !== 'boolean')
    throw validationError('includeVectors must be a boolean')
  if (o.exact !== undefined && typeof o.exact !== 'boolean') throw validationError('exact must be a boolean')
  return {
    query: q,
    options: {
      k,
      filter: parseFilter(o.filter),
      minScore: o.minScore,
      efSearch,
      excludeIds,
      includeVectors: o.includeVectors ?? false,
      exact: o.exact ?? false,
    },
  }
}

/** Validates scan options; returns defaults filled in. */
export function validateScan(options: ScanOptions | undefined): {
  after: string | undefined
  batchSize: number
  filter: FilterNode
} {
  const o = options ?? {}
  if (o === null || typeof o !== 'object') throw validationError('scan options must be an object')
  const after = o.after === undefined ? undefined : validateId(o.after, 'after')
  const batchSize = o.batchSize === undefined ? 500 : intIn(o.batchSize, 1, LIMITS.maxBatchSize, 'batchSize')
  return { after, batchSize, filter: parseFilter(o.filter) }
}

/** Validates the argument of `delete`: ids, or `{ filter }`. */
export function validateDeleteTarget(target: unknown): { ids: string[] } | { filter: FilterNode } {
  if (Array.isArray(target)) return { ids: validateIds(target) }
  if (target !== null && typeof target === 'object' && 'filter' in target) {
    const filter = (target as { filter: unknown }).filter
    // An absent filter must not mean "delete everything"; `{ filter: {} }` says that explicitly.
    if (filter === undefined || filter === null)
      throw validationError('delete({ filter }) needs a filter; use { filter: {} } to delete all')
    return { filter: parseFilter(filter) }
  }
  throw validationError(`delete takes an array of ids or { filter }, got ${describe(target)}`)
}
