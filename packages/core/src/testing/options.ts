import type { Capabilities, VectorStore } from '../types'

/**
 * Opens a fresh {@link VectorStore} for one test. The suites call it once per test (and again
 * to clean up after tests that closed their store), and close every store they open.
 * Several stores may share one backing database: the suites use unique collection names.
 *
 * @example
 * ```ts
 * const factory: ConformanceFactory = () => MemoryStore.open()
 * ```
 */
export type ConformanceFactory = () => VectorStore | Promise<VectorStore>

/**
 * Options of {@link runConformanceSuite}.
 *
 * @example
 * ```ts
 * runConformanceSuite('memory', () => MemoryStore.open(), { hnsw: true, expectedCapabilities: { ttl: true } })
 * ```
 */
export interface ConformanceOptions {
  /**
   * Also run every data-dependent case on an HNSW collection (the backend must then declare
   * `capabilities.hnsw`). Default false.
   */
  hnsw?: boolean
  /** Capabilities the backend must declare exactly as given, on top of the mandatory ones. */
  expectedCapabilities?: Partial<Capabilities>
  /** Per-test timeout in milliseconds for the slower cases (concurrency, recall). Default 60,000. */
  timeoutMs?: number
}

/**
 * Options of {@link runFuzzSuite}.
 *
 * @example
 * ```ts
 * runFuzzSuite('postgres', factory, { numRuns: 100, afterEach: () => assertNoStrayTables(pool) })
 * ```
 */
export interface FuzzOptions {
  /** Runs per property. Default 150 (or `VECTORKIT_FUZZ_RUNS`). */
  numRuns?: number
  /** fast-check seed, to replay a failure. Default random (or `VECTORKIT_FUZZ_SEED`); always printed. */
  seed?: number
  /** Called after each property, with the store closed: assert no stray tables or files. */
  afterEach?: () => Promise<void>
  /** Per-property timeout in milliseconds. Default 120,000. */
  timeoutMs?: number
}

/**
 * Options of {@link runModelSuite}.
 *
 * @example
 * ```ts
 * runModelSuite('memory', () => MemoryStore.open(), { hnsw: true, numRuns: 40 })
 * ```
 */
export interface ModelOptions {
  /** Also run the model on HNSW collections (searches use `exact: true`). Default false. */
  hnsw?: boolean
  /** Command sequences per metric. Default 40 (or `VECTORKIT_MODEL_RUNS`). */
  numRuns?: number
  /** Longest command sequence. Default 30. */
  maxCommands?: number
  /** fast-check seed, to replay a failure. Default random (or `VECTORKIT_MODEL_SEED`); always printed. */
  seed?: number
  /** Per-metric timeout in milliseconds. Default 180,000. */
  timeoutMs?: number
}
