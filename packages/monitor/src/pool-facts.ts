import type { HealthReport } from '@vectorkit/core'

/**
 * Connection-pool facts found in a health report.
 *
 * @example
 * ```ts
 * const p: PoolFacts = { name: 'pool', total: 8, idle: 2, waiting: 0, max: 10 }
 * poolUsage(p) // 0.6
 * ```
 */
export interface PoolFacts {
  /** Name of the health check that carried them. */
  name: string
  total: number
  idle: number
  waiting: number
  /** Pool size limit, when the backend reports it. Without it usage is unknown. */
  max?: number
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * Reads pool facts from a health report. A check carries them in `details.pool` or directly in
 * `details`, spelled either `{ total, idle, waiting, max }` or like `pg.Pool`
 * (`{ totalCount, idleCount, waitingCount }` with `max`, `maxConnections` or `size`).
 *
 * @example
 * ```ts
 * extractPools({ status: 'healthy', backend: 'postgres', checks: [
 *   { name: 'pool', status: 'healthy', details: { pool: { total: 10, idle: 0, waiting: 3, max: 10 } } },
 * ] }) // [{ name: 'pool', total: 10, idle: 0, waiting: 3, max: 10 }]
 * ```
 */
export function extractPools(report: HealthReport | undefined): PoolFacts[] {
  if (!report) return []
  const out: PoolFacts[] = []
  for (const check of report.checks) {
    const d = check.details
    if (!isObject(d)) continue
    const p = isObject(d.pool) ? d.pool : d
    const total = num(p.total ?? p.totalCount)
    const waiting = num(p.waiting ?? p.waitingCount)
    if (total === undefined || waiting === undefined) continue
    const facts: PoolFacts = { name: check.name, total, idle: num(p.idle ?? p.idleCount) ?? 0, waiting }
    const max = num(p.max ?? p.maxConnections ?? p.size)
    if (max !== undefined && max > 0) facts.max = max
    out.push(facts)
  }
  return out
}

/** Connections in use over the limit (0–1+), or `undefined` when the limit is unknown. */
export function poolUsage(p: PoolFacts): number | undefined {
  return p.max === undefined ? undefined : (p.total - p.idle) / p.max
}
