import type { JsonValue, LooseFilter, Metadata, Metric, Scalar, VectorRecord } from '@vectorkit/core'

// The suites' seeded PRNG (mulberry32), so a failing differential case replays from its printed seed.
export { prng } from '@vectorkit/core/testing'

export type Rand = () => number

export function pick<T>(r: Rand, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

function int(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1))
}

// Mixed types, equal-looking values of different types, non-ASCII and astral strings, -0.
const SCALARS: readonly Scalar[] = [
  0,
  -0,
  1,
  -1,
  2.5,
  5,
  9007199254740991,
  0.1,
  -3.25,
  '5',
  '1',
  'x',
  'y',
  'X',
  'é',
  'e\u0301',
  '日本語',
  '😀',
  '',
  true,
  false,
  null,
]
const KEYS = ['a', 'b', 'n', 'tags', 'é', '日本', 'o']
const PATHS = [
  'a',
  'b',
  'n',
  'tags',
  'é',
  '日本',
  'o',
  'o.x',
  'o.y',
  'o.o.z',
  'tags.0',
  'a.b',
  'missing',
  'o.missing',
]
const ID_CHARS = ['a', 'b', 'z', 'A', 'Z', '0', '9', '-', '_', 'é', 'ß', '\uFFFD', '\uE000', '😀', '日']

function value(r: Rand, depth: number): JsonValue {
  const x = r()
  if (depth > 2 || x < 0.6) return pick(r, SCALARS)
  if (x < 0.85) {
    const n = int(r, 0, 4)
    return Array.from({ length: n }, () => (r() < 0.8 ? pick(r, SCALARS) : value(r, depth + 1)))
  }
  return nested(r, depth + 1)
}

function nested(r: Rand, depth: number): { [k: string]: JsonValue } {
  const o: { [k: string]: JsonValue } = {}
  for (const k of ['x', 'y', 'o'])
    if (r() < 0.5) o[k] = k === 'o' ? nested(r, depth + 1) : value(r, depth + 1)
  if (depth > 3) delete o.o
  if (r() < 0.3) o.z = value(r, depth + 1)
  return o
}

export function randomMetadata(r: Rand): Metadata | undefined {
  if (r() < 0.08) return undefined
  const m: Metadata = {}
  for (const k of KEYS) if (r() < 0.55) m[k] = k === 'o' && r() < 0.7 ? nested(r, 1) : value(r, 1)
  return m
}

export function randomId(r: Rand): string {
  const n = int(r, 1, 6)
  let s = ''
  for (let i = 0; i < n; i++) s += pick(r, ID_CHARS)
  return s
}

export function randomVector(r: Rand, dims: number): number[] {
  const v: number[] = Array.from({ length: dims }, () => r() * 2 - 1)
  if (!v.some((x) => x !== 0)) v[0] = 1
  return v
}

export function randomRecords(r: Rand, n: number, dims: number): VectorRecord[] {
  const ids = new Set<string>()
  while (ids.size < n) ids.add(randomId(r))
  return [...ids].map((id) => {
    const rec: VectorRecord = { id, vector: randomVector(r, dims) }
    const m = randomMetadata(r)
    if (m !== undefined) rec.metadata = m
    return rec
  })
}

function fieldOps(r: Rand, depth: number): Record<string, unknown> {
  const ops: Record<string, unknown> = {}
  const n = int(r, 1, 2)
  for (let i = 0; i < n; i++) {
    const op = pick(r, ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not'])
    if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte')
      ops[op] = pick(r, [0, -0, 1, -1, 2.5, 5, 1e21, -3.25, 1999])
    else if (op === '$in' || op === '$nin')
      ops[op] = Array.from({ length: int(r, 0, 3) }, () => pick(r, SCALARS))
    else if (op === '$exists') ops[op] = r() < 0.5
    else if (op === '$not') ops[op] = depth > 2 ? { $eq: pick(r, SCALARS) } : fieldOps(r, depth + 1)
    else ops[op] = pick(r, SCALARS)
  }
  return ops
}

/** A random filter over the whole language: every operator, nesting, dotted paths, shorthand. */
export function randomFilter(r: Rand, depth = 0): LooseFilter {
  const x = r()
  if (depth < 3 && x < 0.25) {
    const op = pick(r, ['$and', '$or', '$not'] as const)
    if (op === '$not') return { $not: randomFilter(r, depth + 1) }
    return { [op]: Array.from({ length: int(r, 1, 3) }, () => randomFilter(r, depth + 1)) }
  }
  const f: LooseFilter = {}
  const keys = int(r, 1, 2)
  for (let i = 0; i < keys; i++) {
    const path = pick(r, PATHS)
    f[path] = r() < 0.3 ? pick(r, SCALARS) : (fieldOps(r, depth) as LooseFilter[string])
  }
  return f
}

export const METRICS: readonly Metric[] = ['cosine', 'dot', 'l2']
