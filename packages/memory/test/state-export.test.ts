import type { CollectionSpec } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { clustered } from './fixtures'

const specs: [string, CollectionSpec][] = [
  ['flat cosine', { dimensions: 24, metric: 'cosine' }],
  ['hnsw l2', { dimensions: 24, metric: 'l2', index: { type: 'hnsw', profile: 'speed' } }],
  ['hnsw int8 + rerank', { dimensions: 24, metric: 'dot', index: { type: 'hnsw', quantization: 'int8' } }],
  [
    'hnsw int8 cosine',
    { dimensions: 24, metric: 'cosine', index: { type: 'hnsw', quantization: 'int8', rerank: false } },
  ],
]

describe.each(specs)('exportState / importState (%s)', (_name, spec) => {
  it('restores a collection that answers exactly like the original, without re-inserting', async () => {
    const a = await MemoryStore.open({ seed: 5 })
    const c = await a.createCollection('c', spec)
    const data = clustered(1500, 24, 61).map((vector, i) => ({
      id: `r${i}`,
      vector,
      metadata: { i, even: i % 2 === 0 },
      ...(i % 100 === 0 ? { expiresAt: new Date(Date.now() + 3_600_000) } : {}),
    }))
    await c.upsert(data)
    await c.delete(data.slice(0, 300).map((r) => r.id))
    const snapshot = a.states.get('c')!.exportState()

    const b = await MemoryStore.open({ seed: 5 })
    b.applyMutation({ type: 'createCollection', name: 'c', spec: a.states.get('c')!.spec })
    b.states.get('c')!.importState(snapshot)
    const restored = await b.collection('c')

    expect(await restored.count()).toBe(await c.count())
    expect(await restored.count({ even: true })).toBe(await c.count({ even: true }))
    expect(await restored.get(['r5', 'r400', 'r1499'])).toEqual(await c.get(['r5', 'r400', 'r1499']))
    const queries = clustered(20, 24, 62)
    for (const q of queries) {
      expect(await restored.search(q, { k: 10 })).toEqual(await c.search(q, { k: 10 }))
      expect(await restored.search(q, { k: 5, filter: { even: false } })).toEqual(
        await c.search(q, { k: 5, filter: { even: false } }),
      )
    }
    const [sa, sb] = [await c.stats(), await restored.stats()]
    expect(sb.count).toBe(sa.count)
    expect(sb.tombstones).toBe(sa.tombstones)
    // Later writes behave the same on both (same RNG state, same free rows).
    const more = clustered(200, 24, 63).map((vector, i) => ({ id: `n${i}`, vector }))
    await c.upsert(more)
    await restored.upsert(more)
    expect(b.states.get('c')!.exportState().index).toEqual(a.states.get('c')!.exportState().index)
    await a.close()
    await b.close()
  })
})
