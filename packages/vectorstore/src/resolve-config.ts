import type { CacheOptions } from '@vectorkit/cache'
import { validationError } from '@vectorkit/core'
import type { MonitorOptions } from '@vectorkit/monitor'
import { BACKENDS, type BackendName, CONFIG_KEYS, type StoreSource, type VectorStoreConfig } from './config'

/**
 * {@link VectorStoreConfig} with the environment applied and values checked.
 *
 * @example
 * ```ts
 * const c: ResolvedConfig = resolveConfig({ backend: 'memory' }, {})
 * c.cache // false
 * ```
 */
export interface ResolvedConfig {
  backend: BackendName
  path: string | undefined
  databaseUrl: string | undefined
  memory: NonNullable<VectorStoreConfig['memory']>
  postgres: VectorStoreConfig['postgres']
  cache: CacheOptions | false
  monitor: MonitorOptions | false
  metrics: { port: number; host: string } | undefined
  primary: StoreSource | undefined
  secondary: StoreSource | undefined
  readPercent: number
  shadow: boolean
  callerKey: VectorStoreConfig['callerKey']
  shadowRecorder: VectorStoreConfig['shadowRecorder']
}

type Env = Record<string, string | undefined>

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

function envNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = nonEmpty(env, name)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max)
    throw validationError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  return n
}

function envInt(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = nonEmpty(env, name)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max)
    throw validationError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  return n
}

function envFlag(env: Env, name: string): boolean | undefined {
  const raw = nonEmpty(env, name)?.toLowerCase()
  if (raw === undefined) return undefined
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw validationError(`${name} must be 1/true/yes/on or 0/false/no/off, got ${JSON.stringify(env[name])}`)
}

/**
 * Checks a backend name; an unknown one lists the valid ones instead of falling back.
 *
 * @example
 * ```ts
 * checkBackend('postgres', 'backend') // 'postgres'
 * checkBackend('redis', 'backend')    // throws VALIDATION listing memory, postgres, rollout
 * ```
 */
export function checkBackend(value: unknown, where: string): BackendName {
  if (typeof value === 'string' && (BACKENDS as readonly string[]).includes(value))
    return value as BackendName
  throw validationError(
    `${where} ${JSON.stringify(value)} is not a backend; valid backends: ${BACKENDS.join(', ')}`,
    { valid: [...BACKENDS] },
  )
}

function resolveCache(config: VectorStoreConfig, env: Env): CacheOptions | false {
  if (config.cache === false) return false
  const fromEnv: CacheOptions = {}
  const max = envInt(env, 'VECTORKIT_CACHE_MAX', 1, Number.MAX_SAFE_INTEGER)
  const ttl = envInt(env, 'VECTORKIT_CACHE_TTL_MS', 0, Number.MAX_SAFE_INTEGER)
  const maxSize = envInt(env, 'VECTORKIT_CACHE_MAX_SIZE', 1, Number.MAX_SAFE_INTEGER)
  if (max !== undefined) fromEnv.max = max
  if (ttl !== undefined) fromEnv.ttl = ttl
  if (maxSize !== undefined) fromEnv.maxSize = maxSize
  if (config.cache === true) return fromEnv
  if (config.cache && typeof config.cache === 'object') return { ...fromEnv, ...config.cache }
  if (config.cache !== undefined) throw validationError('cache must be an options object, true or false')
  // The environment turns the cache on only by sizing it, so a stray TTL alone changes nothing.
  return max !== undefined || maxSize !== undefined ? fromEnv : false
}

function resolveMetrics(config: VectorStoreConfig, env: Env): ResolvedConfig['metrics'] {
  // With the monitor switched off explicitly, a metrics port in the environment is not an order.
  const fromEnv = config.monitor === false ? undefined : envInt(env, 'VECTORKIT_METRICS_PORT', 0, 65535)
  const port = config.metricsPort ?? fromEnv
  if (port === undefined) return undefined
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw validationError(`metricsPort must be an integer from 0 to 65535, got ${String(port)}`)
  return { port, host: config.metricsHost ?? nonEmpty(env, 'VECTORKIT_METRICS_HOST') ?? '127.0.0.1' }
}

function resolvePostgres(config: VectorStoreConfig, env: Env): VectorStoreConfig['postgres'] {
  const schema = nonEmpty(env, 'VECTORKIT_POSTGRES_SCHEMA')
  if (schema === undefined || config.postgres?.schema !== undefined) return config.postgres
  return { ...config.postgres, schema }
}

/**
 * Applies the environment to a config and checks it. Explicit config fields win over the
 * environment. Throws `VALIDATION` with the offending field or variable.
 *
 * @example
 * ```ts
 * resolveConfig({}, { VECTORKIT_BACKEND: 'postgres', DATABASE_URL: 'postgres://db/app' }).backend // 'postgres'
 * ```
 */
export function resolveConfig(config: VectorStoreConfig = {}, processEnv: Env = process.env): ResolvedConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw validationError('createVectorStore config must be an object')
  for (const key of Object.keys(config))
    if (!CONFIG_KEYS.has(key))
      throw validationError(
        `unknown config option ${JSON.stringify(key)}; valid options: ${[...CONFIG_KEYS].join(', ')}`,
      )
  const env: Env = config.env === false ? {} : (config.env ?? processEnv)
  const backend =
    config.backend !== undefined
      ? checkBackend(config.backend, 'backend')
      : checkBackend(nonEmpty(env, 'VECTORKIT_BACKEND') ?? 'memory', 'VECTORKIT_BACKEND')
  const readPercent = config.readPercent ?? envNumber(env, 'VECTORKIT_ROLLOUT_READ_PERCENT', 0, 100) ?? 0
  if (typeof readPercent !== 'number' || !(readPercent >= 0 && readPercent <= 100))
    throw validationError(`readPercent must be a number from 0 to 100, got ${String(readPercent)}`)
  const monitorFlag = envFlag(env, 'VECTORKIT_MONITOR')
  const metrics = resolveMetrics(config, env)
  let monitor: MonitorOptions | false
  if (config.monitor === false) monitor = false
  else if (config.monitor && typeof config.monitor === 'object') monitor = config.monitor
  else if (config.monitor === true || monitorFlag || metrics) monitor = {}
  else monitor = false
  if (config.monitor === false && metrics)
    throw validationError('metricsPort needs the monitor; remove monitor: false or the metrics port')
  return {
    backend,
    path: config.path ?? nonEmpty(env, 'VECTORKIT_PATH'),
    databaseUrl:
      config.databaseUrl ?? nonEmpty(env, 'VECTORKIT_DATABASE_URL') ?? nonEmpty(env, 'DATABASE_URL'),
    memory: config.memory ?? {},
    postgres: resolvePostgres(config, env),
    cache: resolveCache(config, env),
    monitor,
    metrics,
    primary: config.primary ?? nonEmpty(env, 'VECTORKIT_ROLLOUT_PRIMARY'),
    secondary: config.secondary ?? nonEmpty(env, 'VECTORKIT_ROLLOUT_SECONDARY'),
    readPercent,
    shadow: config.shadow ?? envFlag(env, 'VECTORKIT_ROLLOUT_SHADOW') ?? false,
    callerKey: config.callerKey,
    shadowRecorder: config.shadowRecorder,
  }
}
