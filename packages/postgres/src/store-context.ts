import { type RawBuilder, sql } from 'kysely'
import type { EmbeddingStorage } from './collection-ddl'
import type { Executor, Session } from './executor'

/**
 * What a collection needs from its store: connections, settings, and the close gate.
 *
 * @example
 * ```ts
 * await ctx.track(() => ctx.executor.session('count', (s) => s.query(statement)))
 * ```
 */
export interface StoreContext {
  readonly executor: Executor
  readonly schema: string
  readonly statementTimeoutMs: number
  readonly maxScanTuples: number
  /** pgvector >= 0.8: `hnsw.iterative_scan` and `hnsw.max_scan_tuples` exist. */
  readonly iterativeScan: boolean
  readonly ingest: 'copy' | 'unnest'
  /** NOTIFY channel of this schema (see `change-notifier.ts`). */
  readonly channel: string
  /** Runs `fn` unless the store is closed (then `CLOSED`); `close()` waits for it to settle. */
  track<T>(fn: () => Promise<T>): Promise<T>
}

/**
 * A collection as recorded in the registry.
 *
 * @example
 * ```ts
 * const entry: CollectionEntry = { name: 'docs', table: tableNameFor('docs'), storage: 'vector' }
 * ```
 */
export interface CollectionEntry {
  name: string
  table: string
  storage: EmbeddingStorage
}

/**
 * Settings for a transaction: the store's statement timeout plus extras.
 *
 * @example
 * ```ts
 * txSettings(ctx, { 'hnsw.ef_search': '100' }) // { statement_timeout: '30000', 'hnsw.ef_search': '100' }
 * ```
 */
export function txSettings(ctx: StoreContext, extra: Record<string, string> = {}): Record<string, string> {
  return { statement_timeout: String(ctx.statementTimeoutMs), ...extra }
}

/**
 * `pg_notify` of a change; delivered to listeners only when the transaction commits.
 *
 * @example
 * ```ts
 * await session.query(notifyStatement(ctx, 'docs', 'write'))
 * ```
 */
export function notifyStatement(
  ctx: StoreContext,
  collection: string,
  kind: 'write' | 'drop',
): RawBuilder<unknown> {
  return sql`select pg_notify(${ctx.channel}, ${JSON.stringify({ c: collection, k: kind })})`
}

/**
 * Runs the notification inside an open transaction.
 *
 * @example
 * ```ts
 * await notifyChange(session, ctx, 'docs', 'drop')
 * ```
 */
export async function notifyChange(
  s: Session,
  ctx: StoreContext,
  collection: string,
  kind: 'write' | 'drop',
): Promise<void> {
  await s.query(notifyStatement(ctx, collection, kind))
}
