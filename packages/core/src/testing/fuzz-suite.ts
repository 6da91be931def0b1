import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { LIMITS } from '../limits'
import type { VectorRecord } from '../types'
import { validateCollectionName } from '../validation'
import { type Bad, badFilter, badId, badMetadata, badName, badSpec, badVector } from './fuzz-arbitraries'
import { FuzzWorld, fitName, hostileId, hostileKey, hostileValue, validNameTail } from './fuzz-world'
import { collectScan, expectCode } from './harness'
import type { ConformanceFactory, FuzzOptions } from './options'

function envInt(name: string): number | undefined {
  const v = process.env[name]
  return v === undefined || v === '' ? undefined : Number.parseInt(v, 10)
}

async function expectBad(action: () => unknown, b: Bad, pathPrefix = ''): Promise<void> {
  const err = await expectCode(action, b.code)
  if (b.path !== undefined) expect(err.message, b.label).toContain(`${pathPrefix}${b.path}`)
}

const badRecord: fc.Arbitrary<{ record: unknown; bad: Bad; pathPrefix: string }> = fc.oneof(
  badVector(4, 'cosine').map((b) => ({
    record: { id: 'new-bad', vector: b.value },
    bad: b,
    pathPrefix: 'vector',
  })),
  badId.map((b) => ({ record: { id: b.value, vector: [1, 1, 1, 1] }, bad: b, pathPrefix: '' })),
  badMetadata.map((b) => ({
    record: { id: 'new-bad', vector: [1, 1, 1, 1], metadata: b.value },
    bad: b,
    pathPrefix: '',
  })),
  fc
    .constantFrom<unknown>(null, 'record', 5, [1], {
      id: 'new-bad',
      vector: [1, 1, 1, 1],
      expiresAt: 'tomorrow',
    })
    .map((r) => ({
      record: r,
      bad: { label: `record ${String(r)}`, value: r, code: 'VALIDATION' as const },
      pathPrefix: '',
    })),
)

const badSearchOptions: fc.Arbitrary<Bad> = fc.oneof(
  fc
    .constantFrom<unknown>(0, -1, 1.5, LIMITS.maxK + 1, 1e9, Number.NaN, Number.POSITIVE_INFINITY, '5', null)
    .map((k) => ({ label: `k ${String(k)}`, value: { k }, code: 'VALIDATION' as const })),
  fc.constantFrom<unknown>(0, 1001, 1.5, 'x', Number.NaN).map((efSearch) => ({
    label: `efSearch ${String(efSearch)}`,
    value: { efSearch },
    code: 'VALIDATION' as const,
  })),
  fc.constantFrom<unknown>(Number.NaN, '0.5', null, {}).map((minScore) => ({
    label: `minScore ${String(minScore)}`,
    value: { minScore },
    code: 'VALIDATION' as const,
  })),
  badId.map((b) => ({
    label: `excludeIds with ${b.label}`,
    value: { excludeIds: ['seed-a', b.value] },
    code: 'VALIDATION' as const,
  })),
  fc.constantFrom<unknown>('seed-a', 5, new Array(LIMITS.maxExcludeIds + 1).fill('x')).map((excludeIds) => ({
    label: 'excludeIds not a list of ids',
    value: { excludeIds },
    code: 'VALIDATION' as const,
  })),
  fc
    .constantFrom<unknown>({ includeVectors: 'yes' }, { includeVectors: 1 }, { exact: 'true' }, 'k=5', 5)
    .map((value) => ({ label: `options ${JSON.stringify(value)}`, value, code: 'VALIDATION' as const })),
  badFilter.map((b) => ({ ...b, label: `filter ${b.label}`, value: { filter: b.value } })),
)

const badScanOptions: fc.Arbitrary<Bad> = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1.5, LIMITS.maxBatchSize + 1, '5', Number.NaN).map((batchSize) => ({
    label: `batchSize ${String(batchSize)}`,
    value: { batchSize },
    code: 'VALIDATION' as const,
  })),
  badId
    .map((b) => ({ ...b, label: `after ${b.label}`, value: { after: b.value } }))
    .filter((b) => (b.value as { after: unknown }).after !== undefined),
  badFilter.map((b) => ({ ...b, label: `filter ${b.label}`, value: { filter: b.value } })),
  fc
    .constantFrom<unknown>('all', 5)
    .map((value) => ({ label: `options ${String(value)}`, value, code: 'VALIDATION' as const })),
)

/**
 * Registers property-based bad-input fuzzing (fast-check) of every public method: NaN and
 * infinities, wrong and huge dimensions, non-string and oversized ids, bad and huge metadata,
 * deeply nested and malformed filters, names that look like injection or traversal, bad
 * options. Every case must fail with `VALIDATION` or `DIMENSION_MISMATCH` (the exact code is
 * asserted, and the faulty path when the error can name it), and nothing may be written: the
 * seeded collections keep their records and no collection appears. Two more properties check
 * that hostile-looking but valid ids, metadata keys, values and Unicode names round-trip.
 *
 * Prints the number of cases and the seed; replay with `VECTORKIT_FUZZ_SEED=<seed>`.
 *
 * @example
 * ```ts
 * import { runFuzzSuite } from '@vectorkit/core/testing'
 * runFuzzSuite('postgres', () => PostgresStore.open({ connectionString }), {
 *   numRuns: 100,
 *   afterEach: async () => expect(await strayTables(pool)).toEqual([]),
 * })
 * ```
 */
export function runFuzzSuite(
  backendName: string,
  factory: ConformanceFactory,
  options: FuzzOptions = {},
): void {
  const numRuns = options.numRuns ?? envInt('VECTORKIT_FUZZ_RUNS') ?? 150
  const seed = options.seed ?? envInt('VECTORKIT_FUZZ_SEED') ?? Math.floor(Math.random() * 2 ** 31)
  const timeout = options.timeoutMs ?? 120_000

  describe(`fuzz: ${backendName}`, () => {
    let cases = 0
    let properties = 0
    afterAll(() => {
      console.log(
        `[vectorkit fuzz] ${backendName}: ${cases} cases in ${properties} properties, seed ${seed} (replay: VECTORKIT_FUZZ_SEED=${seed})`,
      )
    })

    function property<T>(
      name: string,
      arb: fc.Arbitrary<T>,
      body: (w: FuzzWorld, x: T) => Promise<void>,
      runs = numRuns,
    ) {
      it(
        name,
        async () => {
          const world = await FuzzWorld.open(factory)
          let ran = 0
          try {
            await fc.assert(
              fc.asyncProperty(arb, async (x) => {
                ran++
                await body(world, x)
              }),
              { seed, numRuns: runs },
            )
          } finally {
            cases += ran
            properties++
            await world.close()
          }
          await options.afterEach?.()
          console.log(`[vectorkit fuzz] ${backendName} / ${name}: ${ran} cases, seed ${seed}`)
        },
        timeout,
      )
    }

    property('createCollection, collection and dropCollection refuse bad names', badName, async (w, b) => {
      expect(() => validateCollectionName(b.value), `generator: ${b.label} should be invalid`).toThrow()
      const name = b.value as string
      await expectBad(() => w.store.createCollection(name, { dimensions: 2, metric: 'l2' }), b)
      await expectBad(
        () => w.store.createCollection(name, { dimensions: 2, metric: 'l2' }, { ifNotExists: true }),
        b,
      )
      await expectBad(() => w.store.collection(name), b)
      await expectBad(() => w.store.dropCollection(name), b)
      expect((await w.store.listCollections()).some((c) => c.name === name)).toBe(false)
      await w.expectUnchanged()
    })

    property('createCollection refuses bad specs', badSpec, async (w, b) => {
      const name = w.freshName()
      await expectBad(() => w.store.createCollection(name, b.value as never), b)
      await expectBad(
        () => w.store.createCollection(w.cosine.name, b.value as never, { ifNotExists: true }),
        b,
      )
      await expectCode(() => w.store.collection(name), 'NOT_FOUND')
      await w.expectUnchanged()
    })

    property(
      'upsert refuses a batch with one bad record and writes nothing',
      fc.tuple(badRecord, fc.nat(4), fc.integer({ min: 0, max: 4 }), fc.boolean()),
      async (w, [{ record, bad, pathPrefix }, pos, good, l2]) => {
        const batch: unknown[] = Array.from({ length: good }, (_, i) => ({
          id: `new-${i}`,
          vector: [i + 1, 1, 0, 0],
        }))
        // Replacing a seeded record must not happen either.
        batch.push({ id: 'seed-a', vector: [0, 0, 0, 1], metadata: { n: 99 } })
        const at = Math.min(pos, batch.length)
        batch.splice(at, 0, record)
        const col = l2 && !bad.label.startsWith('zero') ? w.l2 : w.cosine
        const prefix =
          pathPrefix === '' && bad.path !== undefined ? `records[${at}].` : `records[${at}].${pathPrefix}`
        await expectBad(() => col.upsert(batch as VectorRecord[]), bad, prefix)
        await w.expectUnchanged([...Array.from({ length: good }, (_, i) => `new-${i}`), 'new-bad'])
      },
    )

    property(
      'search refuses bad queries and bad options',
      fc.oneof(
        badVector(4, 'cosine').map((b) => ({ b, query: b.value, opts: { k: 3 } as unknown })),
        badSearchOptions.map((b) => ({ b, query: [1, 0, 0, 0] as unknown, opts: b.value })),
      ),
      async (w, { b, query, opts }) => {
        const pathPrefix = query === b.value ? 'query' : ''
        await expectBad(() => w.cosine.search(query as number[], opts as never), b, pathPrefix)
        await w.expectUnchanged()
      },
    )

    property('count, search, scan and delete refuse bad filters', badFilter, async (w, b) => {
      await expectBad(() => w.cosine.count(b.value as never), b)
      await expectBad(() => w.l2.search([1, 0, 0, 0], { filter: b.value as never }), b)
      await expectBad(() => collectScan(w.l2.scan({ filter: b.value as never })), b)
      await expectBad(() => w.cosine.delete({ filter: b.value as never }), b)
      await w.expectUnchanged()
    })

    property(
      'get and delete refuse bad ids and bad targets',
      fc.oneof(
        fc.tuple(badId, fc.nat(3)).map(([b, pos]) => {
          const ids: unknown[] = ['seed-a', 'seed-b', 'seed-c']
          ids.splice(pos, 0, b.value)
          return { b, target: ids as unknown }
        }),
        fc
          .constantFrom<unknown>(
            'seed-a',
            null,
            5,
            {},
            { ids: ['seed-a'] },
            { filter: undefined },
            { filter: null },
          )
          .map((target) => ({
            b: { label: `target ${String(target)}`, value: target, code: 'VALIDATION' as const },
            target,
          })),
      ),
      async (w, { b, target }) => {
        if (Array.isArray(target)) await expectBad(() => w.cosine.get(target as string[]), b)
        await expectBad(() => w.cosine.delete(target as string[]), b)
        await expectBad(() => w.l2.delete(target as string[]), b)
        await w.expectUnchanged()
      },
    )

    property('scan refuses bad options', badScanOptions, async (w, b) => {
      await expectBad(() => collectScan(w.cosine.scan(b.value as never)), b)
      await w.expectUnchanged()
    })

    property(
      'hostile-looking but valid ids, metadata keys and values round-trip as data',
      fc.tuple(hostileId, hostileKey, hostileValue),
      async (w, [id, key, value]) => {
        const metadata = { tag: 'fuzz', [key]: value }
        await w.l2.upsert([{ id, vector: [0.5, 0.5, 0.5, 0.5], metadata }])
        const [got] = await w.l2.get([id])
        expect(got?.id).toBe(id)
        expect(got?.metadata).toEqual(metadata)
        expect(await w.l2.count({ [key]: value })).toBe(1)
        const hits = await w.l2.search([0.5, 0.5, 0.5, 0.5], {
          k: 10,
          filter: { [key]: { $in: [value] } },
          exact: true,
        })
        expect(hits.map((x) => x.id)).toEqual([id])
        expect(await w.l2.delete([id])).toBe(1)
        await w.expectUnchanged()
      },
      Math.max(10, Math.ceil(numRuns / 3)),
    )

    property(
      'valid Unicode and long collection names round-trip',
      validNameTail,
      async (w, { tail, maxBytes }) => {
        const name = fitName(w.freshName(), tail, maxBytes)
        validateCollectionName(name)
        const col = await w.store.createCollection(name, { dimensions: 2, metric: 'l2' })
        try {
          expect(col.name).toBe(name)
          expect((await w.store.listCollections()).filter((c) => c.name === name)).toHaveLength(1)
          const again = await w.store.collection(name)
          await again.upsert([{ id: 'a', vector: [1, 2] }])
          expect(await col.count()).toBe(1)
        } finally {
          await w.store.dropCollection(name)
        }
        await expectCode(() => w.store.collection(name), 'NOT_FOUND')
        await w.expectUnchanged()
      },
      Math.max(5, Math.ceil(numRuns / 5)),
    )
  })
}
