import { describe, expect, it } from 'vitest'
import { MANDATORY_CAPABILITIES } from '../types'
import { resolveSpec } from '../validation'
import { expectCode, type Harness, uniqueName } from './harness'
import type { ConformanceOptions } from './options'

/** Capabilities, and the life of collections: create, open, list, drop, isolation. */
export function collectionCases(h: Harness, options: ConformanceOptions): void {
  describe('capabilities', () => {
    it('declares every mandatory capability true', () => {
      for (const name of MANDATORY_CAPABILITIES)
        expect(h.store.capabilities[name], `mandatory capability ${name}`).toBe(true)
    })

    it('declares the expected optional capabilities', () => {
      const expected = { ...options.expectedCapabilities, ...(options.hnsw ? { hnsw: true } : {}) }
      for (const [name, value] of Object.entries(expected))
        expect(h.store.capabilities[name as keyof typeof expected], `capability ${name}`).toBe(value)
      expect(typeof h.store.backend).toBe('string')
    })

    it('reports health', async () => {
      const report = await h.store.health()
      expect(['healthy', 'degraded', 'unhealthy']).toContain(report.status)
      expect(Array.isArray(report.checks)).toBe(true)
    })
  })

  describe('collections', () => {
    it('creates a collection and reports its resolved spec', async () => {
      const spec = { dimensions: 3, metric: 'l2' as const }
      const col = await h.create(spec)
      expect(col.spec).toEqual(resolveSpec(spec))
      const again = await h.store.collection(col.name)
      expect(again.name).toBe(col.name)
      expect(again.spec).toEqual(resolveSpec(spec))
    })

    it('createCollection of an existing name without ifNotExists is CONFLICT', async () => {
      const col = await h.create({ dimensions: 3, metric: 'l2' })
      await expectCode(() => h.store.createCollection(col.name, { dimensions: 3, metric: 'l2' }), 'CONFLICT')
    })

    it('ifNotExists returns the existing collection when the spec is equal, CONFLICT when it differs', async () => {
      const col = await h.create({ dimensions: 3, metric: 'cosine' })
      await col.upsert([{ id: 'a', vector: [1, 0, 0] }])
      const same = await h.store.createCollection(
        col.name,
        { dimensions: 3, metric: 'cosine', index: { type: 'flat' } },
        { ifNotExists: true },
      )
      expect(await same.count()).toBe(1)
      for (const other of [
        { dimensions: 4, metric: 'cosine' as const },
        { dimensions: 3, metric: 'l2' as const },
      ])
        await expectCode(() => h.store.createCollection(col.name, other, { ifNotExists: true }), 'CONFLICT')
      expect(await col.count()).toBe(1)
    })

    if (options.hnsw)
      it('ifNotExists compares HNSW parameters', async () => {
        const spec = { dimensions: 2, metric: 'l2' as const, index: { type: 'hnsw' as const, m: 8 } }
        const col = await h.create(spec)
        const same = await h.store.createCollection(col.name, spec, { ifNotExists: true })
        expect(same.spec).toEqual(resolveSpec(spec))
        await expectCode(
          () =>
            h.store.createCollection(
              col.name,
              { ...spec, index: { type: 'hnsw', m: 12 } },
              { ifNotExists: true },
            ),
          'CONFLICT',
        )
        await expectCode(
          () => h.store.createCollection(col.name, { dimensions: 2, metric: 'l2' }, { ifNotExists: true }),
          'CONFLICT',
        )
      })

    it('collection() of a missing name is NOT_FOUND', async () => {
      await expectCode(() => h.store.collection(uniqueName('missing')), 'NOT_FOUND')
    })

    it('listCollections includes created collections with their specs', async () => {
      const a = await h.create({ dimensions: 2, metric: 'dot' })
      const b = await h.create({ dimensions: 5, metric: 'l2' })
      const list = await h.store.listCollections()
      const mine = list.filter((c) => c.name === a.name || c.name === b.name)
      expect(mine.length).toBe(2)
      expect(mine.find((c) => c.name === a.name)?.spec).toEqual(resolveSpec({ dimensions: 2, metric: 'dot' }))
      expect(mine.find((c) => c.name === b.name)?.spec).toEqual(resolveSpec({ dimensions: 5, metric: 'l2' }))
    })

    it('dropCollection removes it: then NOT_FOUND, absent from the list, its handle unusable', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      await col.upsert([{ id: 'a', vector: [1, 2] }])
      await h.store.dropCollection(col.name)
      await expectCode(() => h.store.collection(col.name), 'NOT_FOUND')
      await expectCode(() => h.store.dropCollection(col.name), 'NOT_FOUND')
      expect((await h.store.listCollections()).some((c) => c.name === col.name)).toBe(false)
      await expectCode(() => col.count(), 'NOT_FOUND')
      // A new collection of the same name starts empty.
      const again = await h.store.createCollection(col.name, { dimensions: 2, metric: 'l2' })
      expect(await again.count()).toBe(0)
    })

    it('collections are isolated from each other', async () => {
      const a = await h.create({ dimensions: 2, metric: 'l2' })
      const b = await h.create({ dimensions: 2, metric: 'l2' })
      await a.upsert([{ id: 'x', vector: [1, 1], metadata: { from: 'a' } }])
      await b.upsert([
        { id: 'x', vector: [2, 2], metadata: { from: 'b' } },
        { id: 'y', vector: [3, 3] },
      ])
      expect(await a.count()).toBe(1)
      expect(await b.count()).toBe(2)
      expect((await a.get(['x', 'y']))[0]?.metadata).toEqual({ from: 'a' })
      expect(await a.delete({ filter: {} })).toBe(1)
      expect(await b.count()).toBe(2)
    })

    it('names are case-sensitive and long names sharing a prefix stay distinct', async () => {
      const base = uniqueName('Case')
      const upper = h.track(base)
      const lower = h.track(base.toLowerCase())
      const a = await h.store.createCollection(upper, { dimensions: 1, metric: 'l2' })
      const b = await h.store.createCollection(lower, { dimensions: 1, metric: 'l2' })
      await a.upsert([{ id: 'a', vector: [1] }])
      expect(await b.count()).toBe(0)
      // Backends with short identifiers (PostgreSQL: 63 bytes) must not truncate names together.
      const prefix = `${uniqueName('long')}_${'x'.repeat(100)}`.slice(0, 120)
      const l1 = await h.store.createCollection(h.track(`${prefix}_1`), { dimensions: 1, metric: 'l2' })
      const l2 = await h.store.createCollection(h.track(`${prefix}_2`), { dimensions: 2, metric: 'l2' })
      await l1.upsert([{ id: 'a', vector: [1] }])
      expect(await l2.count()).toBe(0)
      expect((await h.store.collection(`${prefix}_2`)).spec.dimensions).toBe(2)
    })

    it('accepts Unicode names of up to 128 bytes', async () => {
      const name = h.track(`${uniqueName('ü')}_日本語_${'é'.repeat(40)}`.slice(0, 60))
      const col = await h.store.createCollection(name, { dimensions: 2, metric: 'cosine' })
      await col.upsert([{ id: 'a', vector: [1, 0] }])
      const listed = (await h.store.listCollections()).find((c) => c.name === name)
      expect(listed?.name).toBe(name)
      expect(await (await h.store.collection(name)).count()).toBe(1)
    })
  })
}
