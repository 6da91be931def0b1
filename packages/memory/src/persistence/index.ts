/**
 * Durability of the memory backend: write-ahead log, snapshots, recovery, directory lock.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@vectorkit/memory'
 * const store = await MemoryStore.open({ path: './data', fsync: 'always' })
 * ```
 * @packageDocumentation
 */
export { createFaultyFs, type FaultRule, type FaultyFs, type FsOp } from './fault-fs'
export { type FsLayer, nodeFs } from './fs-layer'
export type { LockHolder } from './lock-file'
export type { FsyncPolicy, PersistenceOptions } from './options'
export { resolvePersistenceOptions } from './options'
export { Persistence } from './persistence'
export type { RecoveryReport } from './recovery'
export type { SnapshotPhase } from './snapshot-io'
