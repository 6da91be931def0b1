import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
} from 'kysely'

/**
 * A Kysely instance that only compiles: it never connects. vectorkit builds every statement with
 * Kysely's `sql` template (identifiers through `sql.id`, values as bound parameters) and runs the
 * compiled text on whatever connection it holds — an owned pool, a caller's pool, or a caller's
 * Kysely instance.
 */
// biome-ignore lint/suspicious/noExplicitAny: a Kysely of any database type runs raw SQL the same way
const compiler = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** A statement ready to send: text with `$n` placeholders and its parameters. */
export interface Statement {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/**
 * Compiles a Kysely `sql` template into text and parameters.
 *
 * @example
 * ```ts
 * compile(sql`select * from ${sql.id('vectorkit', 't')} where id = ${id}`)
 * // { sql: 'select * from "vectorkit"."t" where id = $1', parameters: [id] }
 * ```
 */
export function compile(query: RawBuilder<unknown>): Statement {
  const c: CompiledQuery = query.compile(compiler)
  return { sql: c.sql, parameters: c.parameters }
}
