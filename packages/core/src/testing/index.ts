/**
 * Test suites every vectorkit backend and decorator runs: `@vectorkit/core/testing`.
 * They register vitest suites, so import this module from test files only.
 *
 * @example
 * ```ts
 * import { runConformanceSuite, runFuzzSuite, runModelSuite } from '@vectorkit/core/testing'
 * const factory = () => MemoryStore.open()
 * runConformanceSuite('memory', factory, { hnsw: true })
 * runFuzzSuite('memory', factory)
 * runModelSuite('memory', factory)
 * ```
 */
export { runConformanceSuite } from './conformance'
export { prng } from './data'
export { runFuzzSuite } from './fuzz-suite'
export { expectCode } from './harness'
export { runModelSuite } from './model-suite'
export type { ConformanceFactory, ConformanceOptions, FuzzOptions, ModelOptions } from './options'
