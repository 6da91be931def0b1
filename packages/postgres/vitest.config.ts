import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import root from '../../vitest.config'

// The PostgreSQL tests with their global setup (CI guard: fails a CI run in which no test reached
// a real server). Run from the repo root: `npx vitest run --config packages/postgres/vitest.config.ts`.
// Spread, not mergeConfig: merging would append to the root's `include` and run every package.
export default defineConfig({
  ...root,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...root.test,
    // The root config splits tests into projects; this config is one flat run of this package.
    projects: undefined,
    include: ['packages/postgres/test/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('./test/global-setup.ts', import.meta.url))],
  },
})
