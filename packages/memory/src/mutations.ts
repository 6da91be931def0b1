import type { ResolvedCollectionSpec, ValidRecord } from '@vectorkit/core'

/**
 * One change to a {@link MemoryStore}'s state. Every write — creating or dropping a
 * collection, an upsert batch, a delete, a TTL purge — becomes exactly one mutation and goes
 * through one synchronous apply path, so a write-ahead log can record it before the write is
 * acknowledged and replay it later with the same result.
 *
 * Mutations carry validated data only (deletes by filter are resolved to ids first), so
 * replaying a log never re-validates and never depends on the filter language.
 *
 * @example
 * ```ts
 * const m: Mutation = { type: 'delete', collection: 'docs', ids: ['a', 'b'] }
 * ```
 */
export type Mutation =
  | { type: 'createCollection'; name: string; spec: ResolvedCollectionSpec }
  | { type: 'dropCollection'; name: string }
  | { type: 'upsert'; collection: string; records: ValidRecord[] }
  | { type: 'delete'; collection: string; ids: string[]; reason?: 'expired' }

/**
 * Called by the store for every mutation, in order, before the mutation is applied. Whatever
 * it throws aborts the write (nothing is applied). If it returns a promise, the write is
 * acknowledged to the caller only once the promise resolves (the mutation is already applied
 * and visible by then; the promise is the durability point, e.g. an fsync).
 *
 * @example
 * ```ts
 * store.setMutationHook((m) => wal.append(m)) // append synchronously, resolve after fsync
 * ```
 */
export type MutationHook = (mutation: Mutation) => void | Promise<void>
