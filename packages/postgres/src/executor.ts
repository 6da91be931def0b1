import { VectorStoreError } from '@vectorkit/core'
import { CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely'
import { copyFromBuffer } from './copy-in'
import { isConnectionPoisoned, mapPgError } from './error-mapping'
import type { PgPoolClientLike, PgPoolLike } from './options'
import { compile, type Statement } from './sql-compiler'

/**
 * Result rows plus the affected-row count of one statement.
 *
 * @example
 * ```ts
 * const { rows, rowCount }: QueryResult<{ id: string }> = await session.query(statement)
 * ```
 */
export interface QueryResult<R> {
  rows: R[]
  rowCount: number
}

/**
 * One borrowed connection (or a transaction on it).
 *
 * @example
 * ```ts
 * await executor.session('get', (s: Session) => s.query(sql`select 1`))
 * ```
 */
export interface Session {
  /**
   * Runs one statement. `unbounded` lifts the pool's client-side `query_timeout` for this
   * statement (index builds: the server-side limit is lifted with `SET LOCAL` separately).
   */
  query<R = Record<string, unknown>>(
    query: RawBuilder<unknown> | Statement,
    operation?: string,
    options?: { unbounded?: boolean },
  ): Promise<QueryResult<R>>
  /** Binary `COPY ... FROM STDIN`; absent when the connection is not a raw `pg` client. */
  readonly copyIn: ((copySql: string, data: Buffer) => Promise<number>) | undefined
}

/**
 * Runs work on borrowed connections; hides whether they come from a pool or a Kysely instance.
 *
 * @example
 * ```ts
 * await executor.transaction('search', { 'hnsw.ef_search': '100' }, (s) => s.query(statement))
 * ```
 */
export interface Executor {
  session<T>(operation: string, fn: (s: Session) => Promise<T>): Promise<T>
  /** `settings` are applied with `set_config(name, value, true)` right after BEGIN. */
  transaction<T>(
    operation: string,
    settings: Record<string, string>,
    fn: (s: Session) => Promise<T>,
  ): Promise<T>
  poolCounts(): { total: number; idle: number; waiting: number; max?: number } | undefined
}

function toStatement(query: RawBuilder<unknown> | Statement): Statement {
  return 'sql' in query && typeof query.sql === 'string'
    ? (query as Statement)
    : compile(query as RawBuilder<unknown>)
}

function settingsStatement(settings: Record<string, string>): Statement | undefined {
  const names = Object.keys(settings)
  if (names.length === 0) return undefined
  const parameters: unknown[] = []
  const calls = names.map((n) => {
    parameters.push(n, settings[n])
    return `set_config($${parameters.length - 1}, $${parameters.length}, true)`
  })
  return { sql: `select ${calls.join(', ')}`, parameters }
}

/**
 * `begin; select set_config(…, true), …` as one simple-protocol message: one round trip instead of
 * two on every search. Simple queries cannot carry parameters, so names and values are written as
 * escaped literals; both come from vectorkit's code (setting names, validated integers, enums),
 * never from request data.
 *
 * @example
 * ```ts
 * beginWithSettings({ 'hnsw.ef_search': '40' }).sql // "begin; select set_config('hnsw.ef_search', '40', true)"
 * ```
 */
export function beginWithSettings(settings: Record<string, string>): Statement {
  const names = Object.keys(settings)
  if (names.length === 0) return { sql: 'begin', parameters: [] }
  const calls = names.map((n) => sql`set_config(${sql.lit(n)}, ${sql.lit(settings[n]!)}, true)`)
  return { sql: compile(sql`begin; select ${sql.join(calls)}`).sql, parameters: [] }
}

const MAX_TIMER_MS = 2_147_483_647

type Listener = (err: Error) => void
interface EventfulClient {
  on?(event: 'error', l: Listener): unknown
  off?(event: 'error', l: Listener): unknown
}

/**
 * Executor over a `pg`-shaped pool. A connection that saw a connection-level failure or a
 * client-side timeout is released with the error, which makes `pg.Pool` destroy it rather than
 * hand a broken or busy socket to the next caller.
 *
 * @example
 * ```ts
 * const executor = new PoolExecutor(pool, true) // true: binary COPY available
 * ```
 */
export class PoolExecutor implements Executor {
  constructor(
    private readonly pool: PgPoolLike,
    private readonly canCopy: boolean,
  ) {}

  async session<T>(operation: string, fn: (s: Session) => Promise<T>): Promise<T> {
    let client: PgPoolClientLike
    try {
      client = await this.pool.connect()
    } catch (err) {
      throw mapPgError(err, `${operation} (connect)`)
    }
    let poison: Error | undefined
    // Without a listener, an error on a checked-out idle client is an uncaught 'error' event.
    const onError: Listener = (err) => {
      poison ??= err
    }
    const ev = client as unknown as EventfulClient
    ev.on?.('error', onError)
    const session: Session = {
      query: async <R>(q: RawBuilder<unknown> | Statement, op = operation, o?: { unbounded?: boolean }) => {
        const st = toStatement(q)
        try {
          // pg reads query_timeout 0 as "use the pool's", so "unbounded" is the largest timer.
          const r = o?.unbounded
            ? await client.query({
                text: st.sql,
                values: st.parameters as unknown[],
                query_timeout: MAX_TIMER_MS,
              })
            : await client.query(st.sql, st.parameters as unknown[])
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 }
        } catch (err) {
          if (isConnectionPoisoned(err)) poison ??= err as Error
          throw mapPgError(err, op)
        }
      },
      copyIn: this.canCopy
        ? async (copySql, data) => {
            try {
              return await copyFromBuffer(client, copySql, data)
            } catch (err) {
              if (isConnectionPoisoned(err)) poison ??= err as Error
              throw mapPgError(err, `${operation} (copy)`)
            }
          }
        : undefined,
    }
    try {
      return await fn(session)
    } finally {
      ev.off?.('error', onError)
      client.release(poison ?? undefined)
    }
  }

  transaction<T>(
    operation: string,
    settings: Record<string, string>,
    fn: (s: Session) => Promise<T>,
  ): Promise<T> {
    return this.session(operation, async (s) => {
      await s.query(beginWithSettings(settings))
      try {
        const out = await fn(s)
        await s.query({ sql: 'commit', parameters: [] })
        return out
      } catch (err) {
        // A failed rollback means the connection is gone; the session poisons it on its own.
        await s.query({ sql: 'rollback', parameters: [] }).catch(() => undefined)
        throw err
      }
    })
  }

  poolCounts(): { total: number; idle: number; waiting: number; max?: number } | undefined {
    const p = this.pool
    if (typeof p.totalCount !== 'number') return undefined
    const counts = { total: p.totalCount, idle: p.idleCount ?? 0, waiting: p.waitingCount ?? 0 }
    const max = p.options?.max
    return typeof max === 'number' && max > 0 ? { ...counts, max } : counts
  }
}

/**
 * Executor over a caller's Kysely instance (no binary COPY: Kysely hides the raw client).
 *
 * @example
 * ```ts
 * const executor = new KyselyExecutor(db)
 * ```
 */
export class KyselyExecutor implements Executor {
  // biome-ignore lint/suspicious/noExplicitAny: a Kysely of any database type runs raw SQL the same way
  constructor(private readonly db: Kysely<any>) {}

  // biome-ignore lint/suspicious/noExplicitAny: a Kysely of any database type runs raw SQL the same way
  private wrap(runner: Pick<Kysely<any>, 'executeQuery'>, operation: string): Session {
    return {
      query: async <R>(q: RawBuilder<unknown> | Statement, op = operation) => {
        const st = toStatement(q)
        try {
          const r = await runner.executeQuery<R>(CompiledQuery.raw(st.sql, [...st.parameters]))
          return { rows: r.rows, rowCount: Number(r.numAffectedRows ?? r.rows.length) }
        } catch (err) {
          throw mapPgError(err, op)
        }
      },
      copyIn: undefined,
    }
  }

  async session<T>(operation: string, fn: (s: Session) => Promise<T>): Promise<T> {
    try {
      return await this.db.connection().execute((conn) => fn(this.wrap(conn, operation)))
    } catch (err) {
      throw mapPgError(err, operation)
    }
  }

  async transaction<T>(
    operation: string,
    settings: Record<string, string>,
    fn: (s: Session) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const s = this.wrap(trx, operation)
        const st = settingsStatement(settings)
        if (st) await s.query(st)
        return fn(s)
      })
    } catch (err) {
      throw mapPgError(err, operation)
    }
  }

  poolCounts(): undefined {
    return undefined
  }
}

/**
 * Thrown by operations on a closed store.
 *
 * @example
 * ```ts
 * if (closed) throw closedError()
 * ```
 */
export function closedError(): VectorStoreError {
  return new VectorStoreError('CLOSED', 'the PostgresStore is closed; connect a new one')
}
