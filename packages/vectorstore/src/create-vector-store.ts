import { type VectorStore, validationError } from '@vectorkit/core'
import type { MonitoredStore } from '@vectorkit/monitor'
import { openMemory, openPostgres } from './backends'
import type { StoreSource, VectorStoreConfig } from './config'
import { applyDecorators } from './decorators'
import { type ResolvedConfig, resolveConfig } from './resolve-config'
import { createRolloutStore, type RolloutStore } from './rollout/rollout-store'
import type { ShadowReadSample, ShadowRecorder } from './rollout/shadow'
import { parseStoreUrl } from './store-url'

const rollouts = new WeakMap<VectorStore, RolloutStore>()
const monitors = new WeakMap<VectorStore, MonitoredStore>()

/**
 * The monitor of a store made by `createVectorStore` with the monitor on (config `monitor`,
 * `metricsPort`, or `VECTORKIT_MONITOR` / `VECTORKIT_METRICS_PORT`): metrics snapshots, alerts,
 * shadow-read statistics.
 *
 * @example
 * ```ts
 * const store = await createVectorStore({ monitor: true })
 * console.log(monitorOf(store)?.metrics().operations)
 * ```
 */
export function monitorOf(store: VectorStore): MonitoredStore | undefined {
  return monitors.get(store)
}

/**
 * The rollout store inside a store made by `createVectorStore({ backend: 'rollout' })`, to
 * change the read percentage at run time, drain the outbox or read shadow statistics —
 * whatever cache or monitor wraps it.
 *
 * @example
 * ```ts
 * const store = await createVectorStore({ backend: 'rollout', primary, secondary, readPercent: 10 })
 * rolloutOf(store)?.setReadPercent(50)
 * ```
 */
export function rolloutOf(store: VectorStore): RolloutStore | undefined {
  return rollouts.get(store)
}

function isStore(v: unknown): v is VectorStore {
  return typeof v === 'object' && v !== null && typeof (v as VectorStore).collection === 'function'
}

async function openBackend(c: ResolvedConfig): Promise<VectorStore> {
  if (c.backend === 'memory') return openMemory(c.memory, c.path)
  if (c.backend === 'postgres') return openPostgres(c.postgres, c.databaseUrl)
  throw validationError('a rollout side must be memory or postgres, not another rollout')
}

/** Opens one side of a rollout; the second value says whether we own (and must close) it. */
async function openSide(
  side: StoreSource | undefined,
  fallback: VectorStoreConfig | undefined,
  parent: ResolvedConfig,
  which: string,
): Promise<[VectorStore, boolean]> {
  if (isStore(side)) return [side, false]
  let cfg: VectorStoreConfig
  if (typeof side === 'string') cfg = parseStoreUrl(side)
  else if (side && typeof side === 'object') cfg = side
  else if (fallback) cfg = fallback
  else
    throw validationError(
      `rollout needs a ${which} store: pass ${which} (a store, a store URL or a config) or set VECTORKIT_ROLLOUT_${which.toUpperCase()}`,
    )
  // Sides never read the environment on their own: the cache, the monitor and the metrics
  // server wrap the rollout store as a whole.
  const resolved = resolveConfig({ memory: parent.memory, postgres: parent.postgres, ...cfg, env: false })
  return [await openBackend(resolved), true]
}

async function openRollout(c: ResolvedConfig, recorders: ShadowRecorder[]): Promise<RolloutStore> {
  const [primary, ownsPrimary] = await openSide(c.primary, { backend: 'memory', path: c.path }, c, 'primary')
  let secondary: VectorStore
  let ownsSecondary: boolean
  try {
    ;[secondary, ownsSecondary] = await openSide(
      c.secondary,
      c.databaseUrl ? { backend: 'postgres', databaseUrl: c.databaseUrl } : undefined,
      c,
      'secondary',
    )
  } catch (err) {
    if (ownsPrimary) await primary.close()
    throw err
  }
  const rollout = createRolloutStore({
    primary,
    secondary,
    readPercent: c.readPercent,
    shadow: c.shadow,
    ...(c.callerKey ? { callerKey: c.callerKey } : {}),
    shadowRecorder: {
      recordShadowRead: (s: ShadowReadSample) => {
        for (const r of recorders) r.recordShadowRead(s)
      },
    },
  })
  const close = rollout.close.bind(rollout)
  // Close only what the facade opened from URLs or configs; stores passed in belong to the caller.
  rollout.close = async () => {
    await close()
    await Promise.all([
      ownsPrimary ? primary.close() : undefined,
      ownsSecondary ? secondary.close() : undefined,
    ])
  }
  return rollout
}

/**
 * Creates a vector store from config, environment variables, or both (config wins). Backends,
 * the cache and the monitor are imported only when selected, so a memory-only app never loads
 * `pg`. The stack is `monitor → cache → backend`; every layer is itself a `VectorStore`.
 *
 * @example
 * ```ts
 * import { createVectorStore } from '@vectorkit/vectorstore'
 *
 * // VECTORKIT_BACKEND=postgres VECTORKIT_DATABASE_URL=postgres://… switches backend without code changes
 * const store = await createVectorStore()
 * const docs = await store.createCollection('docs', { dimensions: 3, metric: 'cosine' }, { ifNotExists: true })
 * await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' } }])
 * console.log(await docs.search([1, 0, 0], { k: 1, filter: { lang: 'en' } }))
 * await store.close()
 * ```
 *
 * @throws `VALIDATION` for an unknown backend (the message lists the valid ones), a bad
 * option or a malformed environment variable; `CONNECTION` when the database cannot be reached.
 */
export async function createVectorStore(config: VectorStoreConfig = {}): Promise<VectorStore> {
  const c = resolveConfig(config)
  const recorders: ShadowRecorder[] = c.shadowRecorder ? [c.shadowRecorder] : []
  const base = c.backend === 'rollout' ? await openRollout(c, recorders) : await openBackend(c)
  let store: VectorStore
  let monitor: MonitoredStore | undefined
  try {
    ;({ store, monitor } = await applyDecorators(base, c, recorders))
  } catch (err) {
    await base.close().catch((closeErr: unknown) => {
      throw new AggregateError([err, closeErr], 'wrapping the store failed, and closing it failed too')
    })
    throw err
  }
  if (c.backend === 'rollout') rollouts.set(store, base as RolloutStore)
  if (monitor) monitors.set(store, monitor)
  return store
}
