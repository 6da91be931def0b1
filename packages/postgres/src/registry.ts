import {
  type CollectionInfo,
  type CollectionSpec,
  type Metric,
  type ResolvedCollectionSpec,
  resolveSpec,
  specsEqual,
  VectorStoreError,
  validateCollectionName,
} from '@vectorkit/core'
import { sql } from 'kysely'
import {
  createHnswIndexStatement,
  createTableStatements,
  type EmbeddingStorage,
  storageFor,
} from './collection-ddl'
import type { Session } from './executor'
import { REGISTRY_TABLE } from './migrations'
import { type CollectionEntry, notifyChange, type StoreContext, txSettings } from './store-context'
import { tableNameFor } from './table-names'

interface RegistryRow {
  name: string
  table_name: string
  dimensions: number
  metric: Metric
  index_spec: string
  storage: EmbeddingStorage
}

/**
 * A validated request to create a collection (checked before any connection is borrowed).
 *
 * @example
 * ```ts
 * const p: PreparedCollection = registry.prepare('docs', { dimensions: 3, metric: 'l2' })
 * ```
 */
export interface PreparedCollection {
  entry: CollectionEntry
  spec: ResolvedCollectionSpec
}

function fromRow(row: RegistryRow): PreparedCollection {
  const spec: ResolvedCollectionSpec = {
    dimensions: row.dimensions,
    metric: row.metric,
    index: JSON.parse(row.index_spec) as ResolvedCollectionSpec['index'],
  }
  return { entry: { name: row.name, table: row.table_name, storage: row.storage }, spec }
}

function notFound(name: string): VectorStoreError {
  return new VectorStoreError('NOT_FOUND', `collection "${name}" does not exist`, {
    details: { collection: name },
  })
}

const COLUMNS = sql`name, table_name, dimensions, metric, index_spec::text as index_spec, storage`

/**
 * Reads and writes the registry table; DDL runs under a per-schema transaction-level advisory lock.
 *
 * @example
 * ```ts
 * const { entry, spec } = await new Registry(ctx).find('docs')
 * ```
 */
export class Registry {
  constructor(private readonly ctx: StoreContext) {}

  private get table() {
    return sql.id(this.ctx.schema, REGISTRY_TABLE)
  }

  private lock(s: Session) {
    return s.query(
      sql`select pg_advisory_xact_lock(hashtextextended(${`vectorkit:ddl:${this.ctx.schema}`}, 0))`,
    )
  }

  /** Validates name and spec; throws `VALIDATION` / `UNSUPPORTED` before anything is written. */
  prepare(name: string, spec: CollectionSpec): PreparedCollection {
    validateCollectionName(name)
    const resolved = resolveSpec(spec)
    if (resolved.index.type === 'hnsw' && resolved.index.quantization !== 'none')
      throw new VectorStoreError(
        'UNSUPPORTED',
        `quantization "${resolved.index.quantization}" is not available on the postgres backend (capabilities.quantization is false); use quantization: 'none'`,
      )
    const storage = storageFor(resolved)
    return { entry: { name, table: tableNameFor(name), storage }, spec: resolved }
  }

  async create(p: PreparedCollection, ifNotExists: boolean): Promise<PreparedCollection> {
    const { entry, spec } = p
    // Index builds must not die of the default statement timeout.
    return this.ctx.executor.transaction(
      'createCollection',
      txSettings(this.ctx, { statement_timeout: '0' }),
      async (s) => {
        await this.lock(s)
        const existing = await s.query<RegistryRow>(
          sql`select ${COLUMNS} from ${this.table} where name = ${entry.name}`,
        )
        if (existing.rows[0]) {
          const found = fromRow(existing.rows[0])
          if (ifNotExists && specsEqual(found.spec, spec)) return found
          throw new VectorStoreError(
            'CONFLICT',
            ifNotExists
              ? `collection "${entry.name}" exists with a different spec`
              : `collection "${entry.name}" already exists`,
            { details: { collection: entry.name, existing: found.spec } },
          )
        }
        for (const st of createTableStatements(this.ctx.schema, entry.table, spec, entry.storage))
          await s.query(st)
        const hnsw = createHnswIndexStatement(this.ctx.schema, entry.table, spec, entry.storage)
        if (hnsw) await s.query(hnsw, 'createCollection', { unbounded: true })
        await s.query(sql`insert into ${this.table} (name, table_name, dimensions, metric, index_spec, storage)
        values (${entry.name}, ${entry.table}, ${spec.dimensions}, ${spec.metric}, ${JSON.stringify(spec.index)}::jsonb, ${entry.storage})`)
        return p
      },
    )
  }

  async find(name: string): Promise<PreparedCollection> {
    const { rows } = await this.ctx.executor.session('collection', (s) =>
      s.query<RegistryRow>(sql`select ${COLUMNS} from ${this.table} where name = ${name}`),
    )
    if (!rows[0]) throw notFound(name)
    return fromRow(rows[0])
  }

  async list(): Promise<CollectionInfo[]> {
    const { rows } = await this.ctx.executor.session('listCollections', (s) =>
      s.query<RegistryRow>(sql`select ${COLUMNS} from ${this.table} order by name`),
    )
    return rows.map((r) => {
      const { entry, spec } = fromRow(r)
      return { name: entry.name, spec }
    })
  }

  async drop(name: string): Promise<void> {
    await this.ctx.executor.transaction('dropCollection', txSettings(this.ctx), async (s) => {
      await this.lock(s)
      const { rows } = await s.query<{ table_name: string }>(
        sql`delete from ${this.table} where name = ${name} returning table_name`,
      )
      if (!rows[0]) throw notFound(name)
      await s.query(sql`drop table if exists ${sql.id(this.ctx.schema, rows[0].table_name)}`)
      await notifyChange(s, this.ctx, name, 'drop')
    })
  }

  /** Deletes expired rows of every collection, one short transaction per collection. */
  async purgeExpired(): Promise<number> {
    const tables = await this.ctx.executor.session('purge', (s) =>
      s.query<{ name: string; table_name: string }>(sql`select name, table_name from ${this.table}`),
    )
    let total = 0
    for (const { name, table_name } of tables.rows) {
      total += await this.ctx.executor.transaction('purge', txSettings(this.ctx), async (s) => {
        const r = await s.query(
          sql`delete from ${sql.id(this.ctx.schema, table_name)} where expires_at <= now()`,
        )
        if (r.rowCount > 0) await notifyChange(s, this.ctx, name, 'write')
        return r.rowCount
      })
    }
    return total
  }
}
