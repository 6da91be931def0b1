import { describe } from 'vitest'
import { indexVariants, useHarness } from './harness'
import type { ConformanceFactory, ConformanceOptions } from './options'
import { collectionCases } from './suite-collections'
import { filterCases } from './suite-filters'
import { lifecycleCases } from './suite-lifecycle'
import { recordCases } from './suite-records'
import { scanCases } from './suite-scan'
import { searchCases } from './suite-search'
import { validationCases } from './suite-validation'

/**
 * Registers the conformance suite (vitest `describe`/`it`) for one backend: the contract of
 * `VectorStore` and `Collection` as every backend and decorator must honour it. Each test opens
 * a fresh store from `factory`, uses collections with unique names, drops them and closes the
 * store, so several runs may share one database.
 *
 * Data-dependent cases (records, scan, search, filters) run on a flat collection and, with
 * `options.hnsw`, again on an HNSW one (searches that assert exactness pass `exact: true`).
 *
 * Contract choices the suite pins down (where the types leave room):
 * - a record stored without metadata may come back with `metadata` absent or `{}`;
 * - cosine backends may store unit vectors: returned vectors must point the same way as the
 *   input; `dot` and `l2` return the input exactly as float32;
 * - hits always carry the record's metadata, and `vector` only with `includeVectors`;
 * - `get` returns one record per id asked that exists, so a repeated id comes back twice;
 * - `scan` batches are non-empty and at most `batchSize` long;
 * - a backend without `capabilities.ttl` rejects `expiresAt` with `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * // packages/memory/test/conformance.test.ts
 * import { runConformanceSuite } from '@vectorkit/core/testing'
 * import { MemoryStore } from '@vectorkit/memory'
 *
 * runConformanceSuite('memory', () => MemoryStore.open(), { hnsw: true, expectedCapabilities: { ttl: true } })
 * ```
 */
export function runConformanceSuite(
  backendName: string,
  factory: ConformanceFactory,
  options: ConformanceOptions = {},
): void {
  describe(`conformance: ${backendName}`, () => {
    const h = useHarness(factory)
    collectionCases(h, options)
    validationCases(h)
    lifecycleCases(h, options)
    for (const variant of indexVariants(options.hnsw)) {
      recordCases(h, variant)
      scanCases(h, variant)
      searchCases(h, variant)
      filterCases(h, variant)
    }
  })
}
