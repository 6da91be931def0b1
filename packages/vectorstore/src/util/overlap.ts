/**
 * Overlap@k of two ranked id lists: the share of the reference's top-k that the candidate's
 * top-k also holds. 1 when both agree (including both empty), 0 when they share nothing.
 *
 * @example
 * ```ts
 * overlapAtK(['a', 'b', 'c'], ['a', 'c', 'd'], 3) // 0.666…
 * ```
 */
export function overlapAtK(reference: readonly string[], candidate: readonly string[], k: number): number {
  const ref = reference.slice(0, k)
  if (ref.length === 0) return candidate.length === 0 ? 1 : 0
  const got = new Set(candidate.slice(0, k))
  let shared = 0
  for (const id of ref) if (got.has(id)) shared++
  return shared / ref.length
}

/**
 * A small seeded PRNG (mulberry32), so verification samples are reproducible run to run.
 *
 * @example
 * ```ts
 * const rand = seededRandom(42)
 * rand() // a number in [0, 1)
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Bucket 0–99 of a caller key (FNV-1a). The same key always lands in the same bucket, and
 * raising a percentage only moves callers one way, so a caller never flips back and forth.
 *
 * @example
 * ```ts
 * stickyBucket('user-42') < 10 // true for about 10% of keys
 * ```
 */
export function stickyBucket(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // Final avalanche: FNV's low bits alone correlate for keys differing in the last character.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return (h >>> 0) % 100
}
