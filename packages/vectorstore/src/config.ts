import type { CacheOptions } from '@vectorkit/cache'
import type { VectorStore } from '@vectorkit/core'
import type { MemoryStoreOptions } from '@vectorkit/memory'
import type { MonitorOptions } from '@vectorkit/monitor'
import type { PostgresStoreOptions } from '@vectorkit/postgres'
import type { ShadowRecorder } from './rollout/shadow'

/**
 * The backends `createVectorStore` can build.
 *
 * @example
 * ```ts
 * BACKENDS.includes(process.env.VECTORKIT_BACKEND as BackendName)
 * ```
 */
export const BACKENDS = ['memory', 'postgres', 'rollout'] as const

/**
 * One of {@link BACKENDS}.
 *
 * @example
 * ```ts
 * const backend: BackendName = 'postgres'
 * ```
 */
export type BackendName = (typeof BACKENDS)[number]

/**
 * A store for one side of a rollout: a store you opened, a store URL (`memory:./data`,
 * `postgres://…`), or a config of its own.
 *
 * @example
 * ```ts
 * const side: StoreSource = 'postgres://app@db/vectors'
 * ```
 */
export type StoreSource = VectorStore | string | VectorStoreConfig

/**
 * Configuration of {@link createVectorStore}. Every field is optional; a field left out is
 * read from the environment (see the table in the package README), then defaulted.
 *
 * @example
 * ```ts
 * await createVectorStore({ backend: 'memory', path: './data', cache: { max: 10_000 }, metricsPort: 9464 })
 * await createVectorStore({ backend: 'postgres', databaseUrl: 'postgres://app@db/vectors' })
 * await createVectorStore({ backend: 'rollout', primary: 'memory:./data', secondary: process.env.DATABASE_URL, readPercent: 10 })
 * ```
 */
export interface VectorStoreConfig {
  /** `memory` (default), `postgres` or `rollout`. Env: `VECTORKIT_BACKEND`. */
  backend?: BackendName
  /** Memory backend: directory for persistence; in-process only when unset. Env: `VECTORKIT_PATH`. */
  path?: string
  /** Postgres backend: connection string. Env: `VECTORKIT_DATABASE_URL`, then `DATABASE_URL`. */
  databaseUrl?: string
  /** Options passed to `MemoryStore.open` (`path` above wins over `memory.path`). */
  memory?: MemoryStoreOptions
  /** Options passed to `PostgresStore.connect` (`databaseUrl` above fills `connectionString`). */
  postgres?: PostgresStoreOptions
  /** Result cache options, `true` for defaults, `false` for none. Env: `VECTORKIT_CACHE_MAX`, `VECTORKIT_CACHE_TTL_MS`. */
  cache?: CacheOptions | boolean
  /** Monitor options, `true` for defaults, `false` for none. Env: `VECTORKIT_MONITOR=1`. */
  monitor?: MonitorOptions | boolean
  /** Serve `/metrics` and `/health` on this port (turns the monitor on). Env: `VECTORKIT_METRICS_PORT`. */
  metricsPort?: number
  /** Host of the metrics server. Default `127.0.0.1`. Env: `VECTORKIT_METRICS_HOST`. */
  metricsHost?: string
  /** Rollout: the source of truth. Env: `VECTORKIT_ROLLOUT_PRIMARY` (a store URL). Default `memory:$VECTORKIT_PATH`. */
  primary?: StoreSource
  /** Rollout: the store being moved to. Env: `VECTORKIT_ROLLOUT_SECONDARY`. Default the Postgres URL. */
  secondary?: StoreSource
  /** Rollout: share of reads (0–100) served by the secondary. Env: `VECTORKIT_ROLLOUT_READ_PERCENT`. Default 0. */
  readPercent?: number
  /** Rollout: read both, serve one, compare. Env: `VECTORKIT_ROLLOUT_SHADOW=1`. Default false. */
  shadow?: boolean
  /** Rollout: caller key of the current read (default: the key set by `withCallerKey`). */
  callerKey?: () => string | undefined
  /** Rollout: receives shadow reads, in addition to the monitor when it is on. */
  shadowRecorder?: ShadowRecorder
  /** Environment to read (default `process.env`); `false` reads none. */
  env?: Record<string, string | undefined> | false
}

const KEYS = new Set<string>([
  'backend',
  'path',
  'databaseUrl',
  'memory',
  'postgres',
  'cache',
  'monitor',
  'metricsPort',
  'metricsHost',
  'primary',
  'secondary',
  'readPercent',
  'shadow',
  'callerKey',
  'shadowRecorder',
  'env',
])

export { KEYS as CONFIG_KEYS }
