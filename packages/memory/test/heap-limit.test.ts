import { isVectorStoreError } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { HeapPool, MemoryStore } from '../src/index'

describe('WebAssembly heap limit', () => {
  it.each([{ type: 'flat' as const }, { type: 'hnsw' as const }])(
    'a batch that cannot fit one heap fails with RESOURCE_EXHAUSTED and writes nothing (%o)',
    async (index) => {
      // 1 MiB segments: at most ~255 rows of 1,024 float32 dimensions per collection.
      const store = await MemoryStore.open({ heapPool: new HeapPool({ maxHeapBytes: 1 << 20 }) })
      const c = await store.createCollection('big', { dimensions: 1024, metric: 'l2', index })
      const vector = new Float32Array(1024).fill(1)
      await c.upsert(Array.from({ length: 100 }, (_, i) => ({ id: `a${i}`, vector })))
      const err = await c
        .upsert(Array.from({ length: 300 }, (_, i) => ({ id: `b${i}`, vector })))
        .catch((e: unknown) => e)
      expect(isVectorStoreError(err, 'RESOURCE_EXHAUSTED')).toBe(true)
      expect((err as Error).message).toMatch(/4294967296 bytes|WebAssembly/)
      expect(await c.count()).toBe(100)
      expect(await c.get(['b0'])).toEqual([])
      // Other collections get their own room (in the same or another segment).
      const other = await store.createCollection('other', { dimensions: 1024, metric: 'l2', index })
      await other.upsert(Array.from({ length: 150 }, (_, i) => ({ id: `o${i}`, vector })))
      expect(await other.count()).toBe(150)
      expect((await c.search(vector, { k: 3 })).length).toBe(3)
      await store.close()
    },
  )
})
