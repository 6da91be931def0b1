import type { HealthCheck, HealthReport, HealthStatus, VectorStore } from '@vectorkit/core'
import { VectorStoreError } from '@vectorkit/core'
import type { ActiveAlert } from './events'

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 }

/** The worse of two statuses. */
export function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[b] > RANK[a] ? b : a
}

/**
 * Runs the wrapped store's `health()` with a deadline. A throw or a timeout becomes an
 * unhealthy report (health must answer even when the backend cannot), with the error kept in
 * the check's details.
 */
export async function innerHealth(
  store: VectorStore,
  timeoutMs: number,
  now: () => number,
): Promise<{ report: HealthReport; latencyMs: number; error?: unknown }> {
  const t0 = now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new VectorStoreError('TIMEOUT', `health check took longer than ${timeoutMs} ms`)),
      timeoutMs,
    )
    timer.unref?.()
  })
  try {
    const report = await Promise.race([store.health(), timeout])
    return { report, latencyMs: now() - t0 }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const code = error instanceof VectorStoreError ? error.code : 'UNKNOWN'
    return {
      report: {
        status: 'unhealthy',
        backend: store.backend,
        checks: [{ name: 'backend', status: 'unhealthy', message, details: { code } }],
      },
      latencyMs: now() - t0,
      error,
    }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Aggregates the monitor's health: a `store` check (the wrapped store's own status and how long
 * its health call took), the wrapped store's checks, and one check per firing alert (`warning`
 * → degraded, `critical` → unhealthy). The status is the worst of all checks.
 */
export function aggregateHealth(
  inner: { report: HealthReport; latencyMs: number },
  alerts: readonly ActiveAlert[],
): HealthReport {
  const checks: HealthCheck[] = [
    { name: 'store', status: inner.report.status, latencyMs: inner.latencyMs },
    ...inner.report.checks,
  ]
  for (const a of alerts) {
    checks.push({
      name: `alert:${a.rule}:${a.target}`,
      status: a.severity === 'critical' ? 'unhealthy' : 'degraded',
      message: `${a.rule} on ${a.target} is ${a.severity} (value ${a.value ?? 'n/a'}, threshold ${a.threshold})`,
      details: {
        rule: a.rule,
        target: a.target,
        severity: a.severity,
        value: a.value,
        threshold: a.threshold,
      },
    })
  }
  let status: HealthStatus = 'healthy'
  for (const c of checks) status = worse(status, c.status)
  return { status, backend: inner.report.backend, checks }
}

/**
 * HTTP status of `/health`: 200 for healthy and degraded (still serving), 503 for unhealthy.
 *
 * @example
 * ```ts
 * res.writeHead(httpStatusOf((await monitored.health()).status)) // in your own HTTP server
 * ```
 */
export function httpStatusOf(status: HealthStatus): number {
  return status === 'unhealthy' ? 503 : 200
}
