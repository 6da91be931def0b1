// The facade re-exports the core contract, so applications need only this package.

export type { CacheOptions, CacheStats } from '@vectorkit/cache'
export * from '@vectorkit/core'
export type { MonitoredStore, MonitorOptions, ShadowSnapshot } from '@vectorkit/monitor'
export type { CliIo } from './cli/commands'
export { EXIT } from './cli/exit-codes'
export { BACKENDS, type BackendName, type StoreSource, type VectorStoreConfig } from './config'
export { createVectorStore, monitorOf, rolloutOf } from './create-vector-store'
export {
  type CheckpointStore,
  type CollectionCheckpoint,
  fileCheckpoint,
  type MigrationCheckpoint,
} from './migrate/checkpoint'
export {
  type CollectionMigrateReport,
  type MigrateOptions,
  type MigrateProgress,
  type MigrateReport,
  migrate,
} from './migrate/migrate'
export type { CollectionVerification, VerifyOptions } from './migrate/verify'
export { type ResolvedConfig, resolveConfig } from './resolve-config'
export { currentCallerKey, withCallerKey } from './rollout/caller-key'
export type { OutboxEntry, OutboxState } from './rollout/outbox'
export { createRolloutStore, type RolloutOptions, RolloutStore } from './rollout/rollout-store'
export type { ShadowReadSample, ShadowRecorder, ShadowStats } from './rollout/shadow'
export { parseStoreUrl, redactUrl } from './store-url'
export {
  type ExportOptions,
  exportStore,
  type ImportOptions,
  importStore,
  type TransferReport,
} from './transfer/export-import'
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  formatRecord,
  type ParsedLine,
  parseLine,
  type RecordLine,
  type VectorEncoding,
} from './transfer/ndjson-format'
export { overlapAtK } from './util/overlap'
