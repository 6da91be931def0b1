import { canonicalJson } from './canonical'
import { validationError } from './errors'
import type { JsonValue, Metadata } from './types'

/**
 * # The filter language
 *
 * One language, one meaning on every backend (the memory evaluator and the SQL translation are
 * held to each other by differential tests).
 *
 * ```ts
 * { genre: 'drama' }                              // shorthand for { genre: { $eq: 'drama' } }
 * { year: { $gte: 1990, $lt: 2000 } }             // several operators on one key: all must hold
 * { 'author.country': { $in: ['FR', 'BE'] } }     // dotted keys walk nested objects
 * { $or: [{ genre: 'drama' }, { $not: { rating: { $lt: 3 } } }] }
 * ```
 *
 * Operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists` on keys; `$and $or $not` on filters
 * (`$not` may also wrap a key's operators: `{ year: { $not: { $gt: 2000 } } }`).
 *
 * Semantics:
 * - **Values** in filters are scalars: strings, finite numbers, booleans and `null`
 *   (`$in`/`$nin` take arrays of scalars). Objects and arrays are never compared whole.
 * - **Paths**: a dotted key `a.b.c` walks nested objects. If a step meets anything but an object
 *   (an array, a scalar, nothing), the key is *missing*.
 * - **Arrays**: when a key holds an array, `$eq`, `$in` and the range operators match if *any
 *   element* matches (`{ tags: 'x' }` matches `tags: ['x', 'y']`). Nested arrays and objects inside
 *   it never match a scalar.
 * - **Types are strict**: `'5'` never equals `5`; `true` never equals `1`.
 * - **Range operators** (`$gt $gte $lt $lte`) take numbers only and match numbers only, so no
 *   backend's string collation can change a result. A string or missing value never matches.
 * - **null**: `{ k: null }` matches a key present with the value `null` (or an array holding
 *   `null`); it does not match a missing key. Use `$exists` for presence.
 * - **Negations** (`$ne`, `$nin`, `$not`, `$exists: false`) are the exact complement of the
 *   positive form, so they **match records where the key is missing** and records with a
 *   different type. `{ k: { $ne: 1 } }` matches `{}` and `{ k: '1' }`.
 * - `$in: []` matches nothing; `$nin: []` matches everything; `{}` matches everything.
 * - `$and` and `$or` take non-empty arrays.
 *
 * Limits: depth {@link FILTER_LIMITS}.maxDepth, {@link FILTER_LIMITS}.maxNodes operators,
 * {@link FILTER_LIMITS}.maxInValues values per `$in`.
 */
export type Scalar = string | number | boolean | null

type ScalarOf<T> = T extends readonly (infer E)[] ? Extract<E, Scalar> : Extract<T, Scalar>

/** Operators applicable to one metadata key whose scalar values are `V`. */
export interface FieldOperators<V extends Scalar = Scalar> {
  $eq?: V
  $ne?: V
  $gt?: number
  $gte?: number
  $lt?: number
  $lte?: number
  $in?: V[]
  $nin?: V[]
  $exists?: boolean
  $not?: FieldOperators<V>
}

/** The condition on one key: a scalar (shorthand for `$eq`) or operators. */
export type FieldCondition<V extends Scalar = Scalar> = V | FieldOperators<V>

/** A filter for untyped metadata: any key, dotted or not. */
export interface LooseFilter {
  $and?: LooseFilter[]
  $or?: LooseFilter[]
  $not?: LooseFilter
  [key: string]: FieldCondition | LooseFilter[] | LooseFilter | undefined
}

/** Logical operators of a {@link TypedFilter}. */
export interface TypedLogicalOperators<M extends Metadata> {
  $and?: TypedFilter<M>[]
  $or?: TypedFilter<M>[]
  $not?: TypedFilter<M>
}

/** A filter over metadata with known keys (see {@link Filter}). */
export type TypedFilter<M extends Metadata> = TypedLogicalOperators<M> & {
  [K in keyof M & string]?: FieldCondition<ScalarOf<M[K]>>
} & { [path: `${string}.${string}`]: FieldCondition | undefined }

/**
 * A filter over metadata of shape `M`. Keys of `M` are checked and their values typed; dotted
 * paths into nested objects are accepted as well. With untyped metadata it is a {@link LooseFilter}.
 *
 * @example
 * ```ts
 * type Movie = { genre: string; year: number; tags: string[] }
 * const f: Filter<Movie> = { genre: { $in: ['drama', 'comedy'] }, year: { $gte: 1990 }, tags: 'award' }
 * ```
 */
export type Filter<M extends Metadata = Metadata> = string extends keyof M ? LooseFilter : TypedFilter<M>

/** Limits of one filter. */
export const FILTER_LIMITS = { maxDepth: 32, maxNodes: 1000, maxInValues: 1000, maxKeyBytes: 512 } as const

/** A validated, normalised filter: what backends translate. */
export type FilterNode =
  | { op: 'true' }
  | { op: 'and' | 'or'; children: FilterNode[] }
  | { op: 'not'; child: FilterNode }
  | { op: 'eq'; path: string[]; value: Scalar }
  | { op: 'range'; path: string[]; cmp: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { op: 'in'; path: string[]; values: Scalar[] }
  | { op: 'exists'; path: string[] }

const FIELD_OPS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not'])

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'a number' : String(v)
  if (v instanceof Date) return 'a Date'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

function checkScalar(v: unknown, where: string): Scalar {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw validationError(`${where}: expected a finite number, got ${describe(v)}`, { path: where })
    return v === 0 ? 0 : v
  }
  if (typeof v === 'string') {
    if (!v.isWellFormed() || v.includes('\u0000'))
      throw validationError(`${where}: strings must be well-formed Unicode without NUL`, { path: where })
    return v
  }
  throw validationError(`${where}: expected a string, number, boolean or null, got ${describe(v)}`, {
    path: where,
  })
}

function parsePath(key: string, where: string): string[] {
  if (key.length === 0) throw validationError(`${where}: empty key`, { path: where })
  if (key.startsWith('$')) throw validationError(`${where}: unknown operator "${key}"`, { path: where })
  if (!key.isWellFormed() || key.includes('\u0000'))
    throw validationError(`${where}: keys must be well-formed Unicode without NUL`, { path: where })
  if (new TextEncoder().encode(key).length > FILTER_LIMITS.maxKeyBytes)
    throw validationError(`${where}: key longer than ${FILTER_LIMITS.maxKeyBytes} bytes`, { path: where })
  const path = key.split('.')
  if (path.some((p) => p.length === 0))
    throw validationError(`${where}: empty segment in dotted key "${key}"`, { path: where })
  return path
}

class Parser {
  private nodes = 0

  filter(f: unknown, where: string, depth: number): FilterNode {
    if (depth > FILTER_LIMITS.maxDepth)
      throw validationError(`${where}: filter nested deeper than ${FILTER_LIMITS.maxDepth}`, { path: where })
    if (!isPlainObject(f))
      throw validationError(`${where}: expected a filter object, got ${describe(f)}`, { path: where })
    const parts: FilterNode[] = []
    for (const key of Object.keys(f)) {
      const v = f[key]
      if (v === undefined) continue
      const at = `${where}.${key}`
      this.count(at)
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(v) || v.length === 0)
          throw validationError(`${at}: expected a non-empty array of filters`, { path: at })
        const children = v.map((c, i) => this.filter(c, `${at}[${i}]`, depth + 1))
        parts.push(children.length === 1 ? children[0]! : { op: key === '$and' ? 'and' : 'or', children })
      } else if (key === '$not') {
        parts.push({ op: 'not', child: this.filter(v, at, depth + 1) })
      } else {
        parts.push(this.field(parsePath(key, at), v, at, depth + 1))
      }
    }
    if (parts.length === 0) return { op: 'true' }
    return parts.length === 1 ? parts[0]! : { op: 'and', children: parts }
  }

  private count(at: string): void {
    if (++this.nodes > FILTER_LIMITS.maxNodes)
      throw validationError(`${at}: filter has more than ${FILTER_LIMITS.maxNodes} operators`, { path: at })
  }

  private field(path: string[], cond: unknown, where: string, depth: number): FilterNode {
    if (depth > FILTER_LIMITS.maxDepth)
      throw validationError(`${where}: filter nested deeper than ${FILTER_LIMITS.maxDepth}`, { path: where })
    if (!isPlainObject(cond)) {
      if (Array.isArray(cond))
        throw validationError(`${where}: arrays are not compared whole; use { $in: [...] }`, { path: where })
      return { op: 'eq', path, value: checkScalar(cond, where) }
    }
    const parts: FilterNode[] = []
    const keys = Object.keys(cond).filter((k) => cond[k] !== undefined)
    if (keys.length === 0)
      throw validationError(
        `${where}: empty operator object; objects are not compared whole, use dotted keys`,
        {
          path: where,
        },
      )
    for (const op of keys) {
      const v = cond[op]
      const at = `${where}.${op}`
      if (!FIELD_OPS.has(op)) {
        throw validationError(
          op.startsWith('$')
            ? `${at}: unknown operator "${op}"`
            : `${at}: objects are not compared whole; use the dotted key "${path.join('.')}.${op}"`,
          { path: at },
        )
      }
      this.count(at)
      switch (op) {
        case '$eq':
          parts.push({ op: 'eq', path, value: checkScalar(v, at) })
          break
        case '$ne':
          parts.push({ op: 'not', child: { op: 'eq', path, value: checkScalar(v, at) } })
          break
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          if (typeof v !== 'number' || !Number.isFinite(v))
            throw validationError(`${at}: range operators take a finite number, got ${describe(v)}`, {
              path: at,
            })
          parts.push({ op: 'range', path, cmp: op.slice(1) as 'gt', value: v === 0 ? 0 : v })
          break
        case '$in':
        case '$nin': {
          if (!Array.isArray(v))
            throw validationError(`${at}: expected an array of scalars, got ${describe(v)}`, { path: at })
          if (v.length > FILTER_LIMITS.maxInValues)
            throw validationError(`${at}: more than ${FILTER_LIMITS.maxInValues} values`, { path: at })
          const node: FilterNode = { op: 'in', path, values: v.map((x, i) => checkScalar(x, `${at}[${i}]`)) }
          parts.push(op === '$in' ? node : { op: 'not', child: node })
          break
        }
        case '$exists':
          if (typeof v !== 'boolean')
            throw validationError(`${at}: expected true or false, got ${describe(v)}`, { path: at })
          parts.push(v ? { op: 'exists', path } : { op: 'not', child: { op: 'exists', path } })
          break
        case '$not':
          parts.push({ op: 'not', child: this.field(path, v, at, depth + 1) })
          break
      }
    }
    return parts.length === 1 ? parts[0]! : { op: 'and', children: parts }
  }
}

/**
 * Validates a filter and returns its normalised tree. Throws a `VALIDATION` error whose message
 * names the offending path (e.g. `filter.year.$gt: range operators take a finite number, got a string`).
 *
 * @example
 * ```ts
 * parseFilter({ year: { $gte: 1990 } }) // { op: 'range', path: ['year'], cmp: 'gte', value: 1990 }
 * ```
 */
export function parseFilter(filter: unknown): FilterNode {
  if (filter === undefined) return markParsed({ op: 'true' })
  return markParsed(new Parser().filter(filter, 'filter', 0))
}

/** Resolves a path; `undefined` means missing. Arrays are not walked into. */
export function resolvePath(metadata: Metadata | undefined, path: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = metadata
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
    if (!Object.hasOwn(cur, key)) return undefined
    cur = cur[key]
  }
  return cur
}

function anyScalar(v: JsonValue | undefined, pred: (s: Scalar) => boolean): boolean {
  if (v === undefined) return false
  if (Array.isArray(v)) {
    for (const e of v) if (e === null || typeof e !== 'object' ? pred(e) : false) return true
    return false
  }
  if (v !== null && typeof v === 'object') return false
  return pred(v)
}

/** A compiled filter predicate over metadata. */
export type FilterPredicate = (metadata: Metadata | undefined) => boolean

/**
 * Compiles a filter (or its parsed tree) into a fast predicate: the reference semantics of the
 * filter language.
 *
 * @example
 * ```ts
 * const p = compileFilter({ tags: 'x', year: { $lt: 2000 } })
 * p({ tags: ['x', 'y'], year: 1999 }) // true
 * ```
 */
export function compileFilter(filter: unknown): FilterPredicate {
  const node = isNode(filter) ? filter : parseFilter(filter)
  return compileNode(node)
}

// Nodes built by parseFilter are remembered, so a user filter on a metadata key named "op"
// (even `{ op: 'true' }`) is never mistaken for a parsed tree.
const parsedNodes = new WeakSet<object>()

function markParsed(node: FilterNode): FilterNode {
  parsedNodes.add(node)
  if (node.op === 'and' || node.op === 'or') node.children.forEach(markParsed)
  else if (node.op === 'not') markParsed(node.child)
  return node
}

// Hand-built nodes are still accepted when their shape cannot be a user filter: user filters
// never hold arrays as field values, nor an object under a non-operator key. `{ op: 'true' }`
// can be either, so only the parser's own (marked) match-all node counts as a node.
function isNode(f: unknown): f is FilterNode {
  if (!isPlainObject(f) || typeof f.op !== 'string') return false
  if (parsedNodes.has(f)) return true
  switch (f.op) {
    case 'and':
    case 'or':
      return Array.isArray(f.children) && f.children.every(isNode)
    case 'not':
      return isNode(f.child)
    case 'eq':
    case 'range':
    case 'in':
    case 'exists':
      return Array.isArray(f.path)
    default:
      return false
  }
}

function compileNode(node: FilterNode): FilterPredicate {
  switch (node.op) {
    case 'true':
      return () => true
    case 'and': {
      const cs = node.children.map(compileNode)
      return (m) => cs.every((c) => c(m))
    }
    case 'or': {
      const cs = node.children.map(compileNode)
      return (m) => cs.some((c) => c(m))
    }
    case 'not': {
      const c = compileNode(node.child)
      return (m) => !c(m)
    }
    case 'eq': {
      const { path, value } = node
      return (m) => anyScalar(resolvePath(m, path), (s) => s === value)
    }
    case 'in': {
      const { path } = node
      const set = new Set<Scalar>(node.values)
      return (m) => anyScalar(resolvePath(m, path), (s) => set.has(s))
    }
    case 'range': {
      const { path, value } = node
      const test =
        node.cmp === 'gt'
          ? (x: number) => x > value
          : node.cmp === 'gte'
            ? (x: number) => x >= value
            : node.cmp === 'lt'
              ? (x: number) => x < value
              : (x: number) => x <= value
      return (m) => anyScalar(resolvePath(m, path), (s) => typeof s === 'number' && test(s))
    }
    case 'exists': {
      const { path } = node
      return (m) => resolvePath(m, path) !== undefined
    }
  }
}

/**
 * True when `metadata` matches `filter`.
 *
 * @example
 * ```ts
 * matchesFilter({ genre: 'drama' }, { genre: { $ne: 'comedy' } }) // true
 * ```
 */
export function matchesFilter(metadata: Metadata | undefined, filter: unknown): boolean {
  return compileFilter(filter)(metadata)
}

/**
 * A stable string for a filter: equal filters (whatever their key order or shorthand) give the
 * same string. Used in cache keys.
 *
 * @example
 * ```ts
 * canonicalFilter({ b: 1, a: { $eq: 2 } }) === canonicalFilter({ a: 2, b: { $eq: 1 } }) // true
 * ```
 */
export function canonicalFilter(filter: unknown): string {
  return canonicalJson(sortNode(isNode(filter) ? filter : parseFilter(filter)))
}

function sortNode(node: FilterNode): FilterNode {
  if (node.op === 'and' || node.op === 'or') {
    const children = node.children.map(sortNode)
    children.sort((a, b) => {
      const x = canonicalJson(a)
      const y = canonicalJson(b)
      return x < y ? -1 : x > y ? 1 : 0
    })
    return { op: node.op, children }
  }
  if (node.op === 'not') return { op: 'not', child: sortNode(node.child) }
  if (node.op === 'in')
    return {
      ...node,
      values: [...node.values].sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1)),
    }
  return node
}
