import type { SearchHit } from '@vectorkit/core'

/**
 * What an entry keeps: the hits, deep-copied away from the backend's objects and frozen, so
 * neither the backend nor any caller can change a cached answer.
 *
 * Typed arrays cannot be frozen, so when hits carry vectors every caller gets fresh hit
 * objects with copied vectors ({@link CachedHits.hits} is then only the template).
 */
export interface CachedHits {
  hits: readonly SearchHit[]
  hasVectors: boolean
  /** Approximate bytes, for `maxSize`. */
  bytes: number
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

const HIT_OVERHEAD_BYTES = 64

/** Copies and freezes a backend's hits. Metadata is plain JSON by contract, so JSON copies it exactly. */
export function freezeHits(hits: SearchHit[]): CachedHits {
  const out: SearchHit[] = new Array(hits.length)
  let bytes = 0
  let hasVectors = false
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as SearchHit
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(hit)) {
      const value = (hit as unknown as Record<string, unknown>)[key]
      if (key === 'vector' && value instanceof Float32Array) {
        copy.vector = value.slice()
        bytes += value.byteLength
        hasVectors = true
      } else if (value !== null && typeof value === 'object') {
        const json = JSON.stringify(value)
        bytes += json.length * 2
        copy[key] = deepFreeze(JSON.parse(json))
      } else {
        copy[key] = value
      }
    }
    bytes += HIT_OVERHEAD_BYTES + hit.id.length * 2
    out[i] = Object.freeze(copy) as unknown as SearchHit
  }
  return { hits: Object.freeze(out), hasVectors, bytes }
}

/** The hits to hand a caller: the frozen array itself, or fresh copies when vectors are present. */
export function handOut(cached: CachedHits): SearchHit[] {
  if (!cached.hasVectors) return cached.hits as SearchHit[]
  const src = cached.hits
  const out: SearchHit[] = new Array(src.length)
  for (let i = 0; i < src.length; i++) {
    const hit = src[i] as SearchHit
    out[i] = hit.vector ? { ...hit, vector: hit.vector.slice() } : { ...hit }
  }
  return out
}
