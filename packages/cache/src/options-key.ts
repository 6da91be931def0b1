import type { SearchOptions } from '@vectorkit/core'
import { canonicalFilter, parseFilter } from '@vectorkit/core'

const KNOWN = new Set(['k', 'filter', 'minScore', 'efSearch', 'excludeIds', 'includeVectors', 'exact'])

const NO_FILTER = ''
const DEFAULT_KEY = '10|||00||'

const isOptNumber = (v: unknown): boolean => v === undefined || typeof v === 'number'
const isOptBoolean = (v: unknown): boolean => v === undefined || typeof v === 'boolean'

/**
 * The part of a cache key that comes from the search options: every option that can change
 * the results, with defaults filled in so `{}` and `{ k: 10 }` share entries. Returns
 * `undefined` when the options cannot be keyed safely (an unknown option, a filter that does
 * not parse): such searches go to the backend uncached, which also reports any error.
 */
export function optionsKey(options: unknown): string | undefined {
  if (options === undefined) return DEFAULT_KEY
  if (options === null || typeof options !== 'object') return undefined
  for (const key in options) {
    if (!KNOWN.has(key)) return undefined
  }
  const { k, filter, minScore, efSearch, excludeIds, includeVectors, exact } = options as SearchOptions
  // Wrong types must reach the backend (which rejects them), never alias a valid key.
  if (!isOptNumber(k) || !isOptNumber(minScore) || !isOptNumber(efSearch)) return undefined
  if (!isOptBoolean(includeVectors) || !isOptBoolean(exact)) return undefined
  let filterKey = NO_FILTER
  if (filter !== undefined) {
    try {
      // Parse first: canonicalFilter alone would read a user filter on a metadata key named
      // "op" (e.g. `{ op: 'true' }`) as an already-parsed tree and alias another filter's key.
      filterKey = canonicalFilter(parseFilter(filter))
    } catch {
      return undefined
    }
  }
  let excluded = ''
  if (excludeIds !== undefined) {
    if (!Array.isArray(excludeIds)) return undefined
    for (const id of excludeIds) if (typeof id !== 'string') return undefined
    if (excludeIds.length > 0) {
      // Order and duplicates do not change results; ids never contain NUL.
      excluded = [...new Set(excludeIds)].sort().join('\u0000')
    }
  }
  return `${k ?? 10}|${minScore ?? ''}|${efSearch ?? ''}|${includeVectors === true ? 1 : 0}${exact === true ? 1 : 0}|${filterKey}|${excluded}`
}
