import { describe, expect, it } from 'vitest'
import { withCache } from '../src/index'
import { copyWords, hashWords, optionsKey, queryWords, sameQuery } from '../src/search-key'
import { ScriptedStore } from './scripted-store'

async function setup() {
  const backend = new ScriptedStore()
  const store = withCache(backend)
  const docs = await store.createCollection('docs', { dimensions: 4, metric: 'l2' })
  await docs.upsert([
    { id: 'a', vector: [0, 0, 0, 1], metadata: { lang: 'en', n: 1 } },
    { id: 'b', vector: [0, 0, 1, 0], metadata: { lang: 'fr', n: 2 } },
    { id: 'c', vector: [0.5, 0.25, 0, 0], metadata: { op: 'true' } },
  ])
  return { backend, store, docs }
}

describe('key equivalence', () => {
  it('number[], Float32Array and a subarray view give the same key and one backend call', async () => {
    const { backend, docs } = await setup()
    const big = new Float32Array([9, 9, 0.1, 0.2, 0.3, 0.4, 9])
    const view = big.subarray(2, 6)
    await docs.search([0.1, 0.2, 0.3, 0.4], { k: 2 })
    await docs.search(new Float32Array([0.1, 0.2, 0.3, 0.4]), { k: 2 })
    await docs.search(view, { k: 2 })
    await docs.search(new Float64Array([0.1, 0.2, 0.3, 0.4]), { k: 2 })
    expect(backend.searchCalls).toBe(1)
    expect(hashWords(queryWords(view))).toBe(hashWords(queryWords([0.1, 0.2, 0.3, 0.4])))
  })

  it('maps -0 to 0', async () => {
    const { backend, docs } = await setup()
    await docs.search([-0, 1, 0, 0])
    await docs.search(new Float32Array([0, 1, -0, 0]))
    expect(backend.searchCalls).toBe(1)
    const neg = copyWords(queryWords(new Float32Array([-0, 1])))
    expect(sameQuery(queryWords([0, 1]), neg)).toBe(true)
    expect(sameQuery(queryWords([-0, 1]), neg)).toBe(true)
    expect(sameQuery(queryWords([0, 2]), neg)).toBe(false)
  })

  it('separates queries, k, filters and result-changing options', async () => {
    const { backend, docs } = await setup()
    const q = [0.1, 0.2, 0.3, 0.4]
    const variants = [
      {},
      { k: 1 },
      { filter: { lang: 'en' } },
      { filter: { lang: 'fr' } },
      { minScore: 0.1 },
      { efSearch: 20 },
      { excludeIds: ['a'] },
      { includeVectors: true },
      { exact: true },
    ]
    for (const o of variants) await docs.search(q, o)
    await docs.search([0.1, 0.2, 0.3, 0.5])
    expect(backend.searchCalls).toBe(variants.length + 1)
    expect(docs.name).toBe('docs')
  })

  it('shares entries between equal spellings of the same options', () => {
    expect(optionsKey(undefined)).toBe(optionsKey({}))
    expect(optionsKey({})).toBe(optionsKey({ k: 10, includeVectors: false, exact: false }))
    expect(optionsKey({ filter: { a: 1, b: { $eq: 2 } } })).toBe(
      optionsKey({ filter: { b: 2, a: { $eq: 1 } } }),
    )
    expect(optionsKey({ excludeIds: ['b', 'a', 'a'] })).toBe(optionsKey({ excludeIds: ['a', 'b'] }))
    expect(optionsKey({ excludeIds: [] })).toBe(optionsKey({}))
  })

  it('never lets a metadata key named "op" alias the empty filter', async () => {
    const { docs } = await setup()
    expect(optionsKey({ filter: { op: 'true' } })).not.toBe(optionsKey({ filter: {} }))
    const all = await docs.search([1, 0, 0, 0], { filter: {} })
    const some = await docs.search([1, 0, 0, 0], { filter: { op: 'true' } })
    expect(all.map((h) => h.id)).toHaveLength(3)
    expect(some.map((h) => h.id)).toEqual(['c'])
  })

  it('bypasses the cache for options it cannot key, leaving errors to the backend', async () => {
    const { store, docs } = await setup()
    expect(optionsKey({ k: '10' })).toBeUndefined()
    expect(optionsKey({ surprise: true })).toBeUndefined()
    expect(optionsKey({ filter: { n: { $gt: 'x' } } })).toBeUndefined()
    expect(optionsKey({ excludeIds: ['a', 1] })).toBeUndefined()
    await expect(docs.search([1, 0, 0, 0], { k: '10' as unknown as number })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(docs.search([1, 0, 0], {})).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' })
    await expect(docs.search([1, 0, 0], {})).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' })
    expect(store.cacheStats().bypassed).toBe(1)
    expect(store.cacheStats().size).toBe(0)
  })
})
