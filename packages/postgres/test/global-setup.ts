import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Vitest global setup for the PostgreSQL tests (wire it with `globalSetup` in the root
 * vitest.config.ts, or `vitest run --globalSetup packages/postgres/test/global-setup.ts`).
 *
 * Test files record in a run-wide directory that they reached a database
 * (`markPostgresTestRan` in test-database.ts). Under `CI=true` the teardown fails the run when no
 * test reached a real PostgreSQL server, so a misconfigured CI cannot pass by running nothing.
 * It does not depend on the order of test files: it looks only after all of them finished.
 */
export default function setup({
  provide,
}: {
  provide: (key: 'vectorkitPgMarkerDir', value: string) => void
}) {
  const dir = mkdtempSync(join(tmpdir(), 'vectorkit-pg-markers-'))
  provide('vectorkitPgMarkerDir', dir)
  return () => {
    const markers = readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { real: boolean },
    )
    rmSync(dir, { recursive: true, force: true })
    const ci = process.env.CI === 'true' || process.env.CI === '1'
    if (ci && !markers.some((m) => m.real)) {
      // Vitest reports teardown errors without failing the run; the exit code must say it.
      process.exitCode = 1
      throw new Error(
        `CI=true but no test reached a real PostgreSQL server (${markers.length} markers); is VECTORKIT_TEST_DATABASE_URL set and are packages/postgres/test/*.test.ts included?`,
      )
    }
  }
}
