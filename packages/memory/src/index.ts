/**
 * `@vectorkit/memory`: the embedded vectorkit backend.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@vectorkit/memory'
 * const store = await MemoryStore.open()
 * ```
 */

export type { CollectionSnapshot } from './collection-state'
export { HeapPool, type HeapPoolOptions, MAX_HEAP_BYTES } from './kernels/index'
export { MemoryCollection } from './memory-collection'
export { MemoryStore, type MemoryStoreOptions } from './memory-store'
export type { Mutation, MutationHook } from './mutations'
export {
  createFaultyFs,
  type FaultRule,
  type FaultyFs,
  type FsLayer,
  type FsOp,
  type FsyncPolicy,
  type LockHolder,
  nodeFs,
  type PersistenceOptions,
  type RecoveryReport,
  type SnapshotPhase,
} from './persistence/index'
export { CALIBRATION_ROWS } from './quantized-column'
