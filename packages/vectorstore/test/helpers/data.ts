import type { VectorRecord } from '@vectorkit/core'
import { seededRandom } from '../../src/util/overlap'

/** Deterministic records: `n` vectors of `dim` dimensions with a little metadata. */
export function makeRecords(n: number, dim: number, seed = 1, prefix = 'r'): VectorRecord[] {
  const rand = seededRandom(seed)
  const out: VectorRecord[] = []
  for (let i = 0; i < n; i++) {
    const v = new Float32Array(dim)
    for (let j = 0; j < dim; j++) v[j] = rand() * 2 - 1
    out.push({
      id: `${prefix}${String(i).padStart(6, '0')}`,
      vector: v,
      metadata: { i, group: i % 3 === 0 ? 'a' : 'b', tags: [`t${i % 5}`] },
    })
  }
  return out
}
