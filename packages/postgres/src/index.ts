export { encodeBinaryCopy } from './binary-copy'
export { type BulkLoadOptions, type BulkLoadResult, hnswBuildMemoryMb } from './bulk-load'
export { channelFor } from './change-notifier'
export {
  type EmbeddingStorage,
  embeddingStorageMode,
  MAX_HALFVEC_INDEX_DIMENSIONS,
  MAX_PLAIN_EMBEDDING_BYTES,
  MAX_VECTOR_INDEX_DIMENSIONS,
  storageFor,
} from './collection-ddl'
export { copyFromBuffer } from './copy-in'
export { classifyPgError, isConnectionPoisoned, mapPgError } from './error-mapping'
export { filterToSql } from './filter-to-sql'
export { MIGRATIONS_TABLE, REGISTRY_TABLE, SCHEMA_VERSION } from './migrations'
export {
  type PgPoolClientLike,
  type PgPoolLike,
  type PgQueryResultLike,
  POSTGRES_DEFAULTS,
  type PostgresStoreOptions,
  SCHEMA_NAME_PATTERN,
} from './options'
export { PostgresCollection } from './postgres-collection'
export { PostgresStore } from './postgres-store'
export { MAX_IDENTIFIER_BYTES, tableNameFor } from './table-names'
