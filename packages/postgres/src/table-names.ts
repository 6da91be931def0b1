import { createHash } from 'node:crypto'
import { validateCollectionName } from '@vectorkit/core'

/** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63

const HASH_CHARS = 12
// "c_" + slug + "_" + hash, leaving room for index suffixes ("_hnsw", "_meta", "_exp").
const MAX_SLUG = MAX_IDENTIFIER_BYTES - 2 - 1 - HASH_CHARS - 5

/**
 * Maps a collection name to its table name: `c_<ascii slug>_<12 hex of sha256(name)>`, at most
 * 58 bytes, so index names with a 5-byte suffix stay within PostgreSQL's 63-byte limit.
 *
 * The slug keeps table names readable in `psql`; the hash of the full name makes them
 * collision-free: names that differ only in case, in non-ASCII letters, or after a shared
 * 63-byte prefix still map to different tables.
 *
 * @example
 * ```ts
 * tableNameFor('Docs-2024') // 'c_docs_2024_' + 12 hex characters
 * tableNameFor('日本語')     // 'c__' + 12 hex characters
 * ```
 */
export function tableNameFor(collection: string): string {
  validateCollectionName(collection)
  const slug = collection
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, MAX_SLUG)
  const hash = createHash('sha256').update(collection, 'utf8').digest('hex').slice(0, HASH_CHARS)
  return `c_${slug}_${hash}`
}

/**
 * Names of the indexes of one collection table.
 *
 * @example
 * ```ts
 * indexNamesFor('c_docs_0123456789ab').hnsw // 'c_docs_0123456789ab_hnsw'
 * ```
 */
export function indexNamesFor(table: string): { hnsw: string; metadata: string; expiresAt: string } {
  return { hnsw: `${table}_hnsw`, metadata: `${table}_meta`, expiresAt: `${table}_exp` }
}
