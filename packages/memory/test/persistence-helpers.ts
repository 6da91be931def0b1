import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Collection, VectorRecord } from '@vectorkit/core'
import { rng } from './fixtures'

/** A fresh temporary directory per call; `cleanup()` removes them all. */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = []
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), 'vk-persist-'))
      made.push(d)
      return d
    },
    cleanup() {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
    },
  }
}

/** `n` seeded records `prefix0..` of `dim` dimensions with small metadata. */
export function records(n: number, dim: number, seed: number, prefix = 'r'): VectorRecord[] {
  const u = rng(seed)
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    vector: Float32Array.from({ length: dim }, () => u() * 2 - 1),
    metadata: { i, tag: i % 3 === 0 ? 'a' : 'b', nested: { x: [i, 'y'] } },
  }))
}

/** Every record of a collection, by id (scan order). */
export async function dump(c: Collection): Promise<Map<string, VectorRecord>> {
  const out = new Map<string, VectorRecord>()
  for await (const batch of c.scan({ batchSize: 500 })) for (const r of batch) out.set(r.id, r)
  return out
}
