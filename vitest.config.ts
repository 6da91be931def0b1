import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

const pkg = (name: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url))

// The fault tests start throwaway PostgreSQL clusters, so they need the server binaries (and
// pgvector) on this machine. CI always runs them (`.ci/run` provisions both); a machine with only
// Node runs everything else and says why the faults project is left out.
const pgBin = process.env.VECTORKIT_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const isCI = process.env.CI === 'true' || process.env.CI === '1'
const runFaults = isCI || existsSync(join(pgBin, 'initdb'))
if (!runFaults)
  console.warn(
    `[vectorkit] the 'faults' project (PostgreSQL restarts on a throwaway cluster) is not run: no initdb in ${pgBin} (set VECTORKIT_PG_BIN); CI always runs it`,
  )

// Tests run against source: every @vectorkit/* import resolves to the package's src/ entry.
// Two projects: `unit` (every package, the examples and the bench, in parallel) and `faults`
// (PostgreSQL server restarts and network faults on a throwaway cluster, one file at a time,
// after `unit` has finished so restarts never compete with the rest for the CPU).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vectorkit\/core\/testing$/, replacement: pkg('core', 'testing/index.ts') },
      { find: /^@vectorkit\/(core|memory|postgres|cache|monitor|vectorstore)$/, replacement: pkg('$1') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'examples/**/*.test.ts'],
          // Under CI=true, fails the run when no PostgreSQL test reached a real server.
          globalSetup: [fileURLToPath(new URL('./packages/postgres/test/global-setup.ts', import.meta.url))],
          sequence: { groupOrder: 0 },
        },
      },
      ...(runFaults ? [faultsProject()] : []),
    ],
  },
})

function faultsProject(): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name: 'faults',
      include: ['packages/postgres/test/faults/**/*.fault.ts'],
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 180_000,
      sequence: { groupOrder: 1 },
    },
  }
}
