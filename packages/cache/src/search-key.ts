import type { SearchOptions } from '@vectorkit/core'
import { canonicalFilter, parseFilter } from '@vectorkit/core'

/**
 * Canonical query bytes: the query converted to float32 (what every backend searches with),
 * with `-0` read as `0`, so `number[]`, a `Float32Array` and a subarray view over the same
 * values all give the same key.
 *
 * The key holds a 2×32-bit hash of those bytes, not the bytes: building a 3 KiB string per
 * lookup at 768 dimensions would cost more than the hit itself. Equality is then confirmed by
 * {@link sameQuery} against the canonical copy kept in the entry, so a hash collision can only
 * cost a miss, never return another query's results.
 */

const NEG_ZERO_BITS = 0x80000000

let scratch = new Float32Array(1024)
let scratchWords = new Uint32Array(scratch.buffer)

/** The words of the query as float32 bits. Valid until the next call (it may reuse a buffer). */
export function queryWords(query: ArrayLike<number>): Uint32Array {
  if (query instanceof Float32Array) {
    // A view onto the caller's bytes: nothing copied. Float32Array offsets are 4-aligned.
    return new Uint32Array(query.buffer, query.byteOffset, query.length)
  }
  const n = query.length
  if (scratch.length < n) {
    scratch = new Float32Array(n)
    scratchWords = new Uint32Array(scratch.buffer)
  }
  if (Array.isArray(query) || ArrayBuffer.isView(query)) {
    scratch.set(query as ArrayLike<number>)
  } else {
    for (let i = 0; i < n; i++) scratch[i] = query[i] as number
  }
  return scratchWords.subarray(0, n)
}

/** True when the value is something {@link queryWords} can read. */
export function isQueryLike(query: unknown): query is ArrayLike<number> {
  if (Array.isArray(query)) return true
  if (ArrayBuffer.isView(query)) return !(query instanceof DataView) && !(query instanceof BigInt64Array)
  return false
}

/** A hash of the canonical bytes, as a short string. */
export function hashWords(words: Uint32Array): string {
  let h1 = 0x811c9dc5 ^ words.length
  let h2 = 0x9747b28c
  for (let i = 0; i < words.length; i++) {
    let w = words[i] as number
    if (w === NEG_ZERO_BITS) w = 0
    h1 = Math.imul(h1 ^ w, 0x01000193)
    h2 = Math.imul(h2 ^ (w >>> 16) ^ (w << 5), 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  h1 ^= h1 >>> 13
  h1 = Math.imul(h1, 0xc2b2ae35)
  h1 ^= h1 >>> 16
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`
}

/** A canonical copy to keep in an entry (`-0` stored as `0`). */
export function copyWords(words: Uint32Array): Uint32Array {
  const out = new Uint32Array(words.length)
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number
    out[i] = w === NEG_ZERO_BITS ? 0 : w
  }
  return out
}

/** True when `words` (possibly holding `-0`) equals a canonical copy. */
export function sameQuery(words: Uint32Array, canonical: Uint32Array): boolean {
  const n = words.length
  if (n !== canonical.length) return false
  for (let i = 0; i < n; i++) {
    const w = words[i] as number
    if (w !== canonical[i] && !(w === NEG_ZERO_BITS && canonical[i] === 0)) return false
  }
  return true
}

const KNOWN = new Set(['k', 'filter', 'minScore', 'efSearch', 'excludeIds', 'includeVectors', 'exact'])

const NO_FILTER = ''
const DEFAULT_KEY = '10|||00||'

const isOptNumber = (v: unknown): boolean => v === undefined || typeof v === 'number'
const isOptBoolean = (v: unknown): boolean => v === undefined || typeof v === 'boolean'

/**
 * The part of a cache key that comes from the search options: every option that can change
 * the results, with defaults filled in so `{}` and `{ k: 10 }` share entries. Returns
 * `undefined` when the options cannot be keyed safely (an unknown option, a filter that does
 * not parse): such searches go to the backend uncached, which also reports any error.
 */
export function optionsKey(options: unknown): string | undefined {
  if (options === undefined) return DEFAULT_KEY
  if (options === null || typeof options !== 'object') return undefined
  for (const key in options) {
    if (!KNOWN.has(key)) return undefined
  }
  const { k, filter, minScore, efSearch, excludeIds, includeVectors, exact } = options as SearchOptions
  // Wrong types must reach the backend (which rejects them), never alias a valid key.
  if (!isOptNumber(k) || !isOptNumber(minScore) || !isOptNumber(efSearch)) return undefined
  if (!isOptBoolean(includeVectors) || !isOptBoolean(exact)) return undefined
  let filterKey = NO_FILTER
  if (filter !== undefined) {
    try {
      // Parse first: canonicalFilter alone would read a user filter on a metadata key named
      // "op" (e.g. `{ op: 'true' }`) as an already-parsed tree and alias another filter's key.
      filterKey = canonicalFilter(parseFilter(filter))
    } catch {
      return undefined
    }
  }
  let excluded = ''
  if (excludeIds !== undefined) {
    if (!Array.isArray(excludeIds)) return undefined
    for (const id of excludeIds) if (typeof id !== 'string') return undefined
    if (excludeIds.length > 0) {
      // Order and duplicates do not change results; ids never contain NUL.
      excluded = [...new Set(excludeIds)].sort().join('\u0000')
    }
  }
  return `${k ?? 10}|${minScore ?? ''}|${efSearch ?? ''}|${includeVectors === true ? 1 : 0}${exact === true ? 1 : 0}|${filterKey}|${excluded}`
}
