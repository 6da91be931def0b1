import {
  type Metadata,
  type Metric,
  type SearchHit,
  scoreFromDistance,
  VectorStoreError,
} from '@vectorkit/core'
import { fromSql } from 'pgvector/kysely'

/**
 * Parses pgvector's text form (`[1,2,3]`, for `vector` and `halfvec` alike) with pgvector-node's
 * helper. Values are selected as `::text` so a caller's custom type parsers never change what
 * vectorkit receives.
 *
 * @example
 * ```ts
 * parseVector('[1,2.5,3]') // Float32Array [1, 2.5, 3]
 * ```
 */
export function parseVector(text: string): Float32Array {
  const values = fromSql(text) as number[] | null
  if (!Array.isArray(values))
    throw new VectorStoreError('CORRUPT_DATA', 'the server returned an embedding that is not a vector')
  return Float32Array.from(values)
}

/**
 * Parses `metadata::text`; SQL NULL means the record has no metadata.
 *
 * @example
 * ```ts
 * parseMetadata('{"a": 1}') // { a: 1 }
 * ```
 */
export function parseMetadata(text: string | null): Metadata | undefined {
  return text === null ? undefined : (JSON.parse(text) as Metadata)
}

/**
 * Converts a search row to a hit with core's score convention.
 *
 * @example
 * ```ts
 * toHit('cosine', { id: 'a', distance: 0.25, metadata: null }) // { id: 'a', score: 0.75, distance: 0.25 }
 * ```
 */
export function toHit<M extends Metadata>(
  metric: Metric,
  row: { id: string; distance: number | string; metadata: string | null; embedding?: string },
): SearchHit<M> {
  const distance = Number(row.distance)
  const hit: SearchHit<M> = { id: row.id, score: scoreFromDistance(metric, distance), distance }
  const m = parseMetadata(row.metadata)
  if (m !== undefined) hit.metadata = m as M
  if (row.embedding !== undefined) hit.vector = parseVector(row.embedding)
  return hit
}
