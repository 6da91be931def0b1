import type { Dataset, FilterName } from '../datasets/index'

/**
 * What a system under test must offer the child runner: a build step, then synchronous or
 * async top-k queries by query index, returning dataset row indices best first.
 *
 * @example
 * ```ts
 * const inst = await def.build(ds, ctx)
 * const rows = await inst.search(0, { k: 10, efSearch: 40 })
 * ```
 */
export interface SearchRequest {
  k: number
  efSearch?: number
  filter?: FilterName
  exact?: boolean
}

/** A built system, ready to answer queries. */
export interface SystemInstance {
  search(queryIndex: number, req: SearchRequest): ArrayLike<number> | Promise<ArrayLike<number>>
  close(): Promise<void>
}

/** Hooks the child gives a build: progress reporting and a wall-clock deadline. */
export interface BuildContext {
  progress(label: string, done: number, total: number): void
  /** `performance.now()` after which a slow build should stop and report "did not finish". */
  deadline?: number
}

/** Thrown by a build that hit its deadline; the row is written as "did not finish". */
export class DidNotFinish extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DidNotFinish'
  }
}

/** Thrown when the package a system needs has not landed yet: the row becomes "skipped". */
export class SystemUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SystemUnavailable'
  }
}

/** Row indices from vectorkit hits, whose ids are the decimal row numbers. */
export function hitRows(hits: readonly { id: string }[]): Int32Array {
  const out = new Int32Array(hits.length)
  for (let i = 0; i < hits.length; i++) out[i] = Number(hits[i]!.id)
  return out
}

/** Views of each query row (made once, outside any timed loop). */
export function queryViews(ds: Dataset): Float32Array[] {
  return Array.from({ length: ds.nQueries }, (_, q) => ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim))
}
