import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const pkg = (name: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url))

/**
 * PostgreSQL and network fault tests (issue 6, 3.4 and 3.5). They start, kill and restart a
 * throwaway PostgreSQL cluster of their own, so they run apart from the main suite, one file
 * at a time: `npx vitest run --config vitest.faults.config.ts`.
 *
 * Their files end in `.fault.ts` so the main config (`*.test.ts`) never picks them up.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vectorkit\/core\/testing$/, replacement: pkg('core', 'testing/index.ts') },
      { find: /^@vectorkit\/(core|memory|postgres|cache|monitor|vectorstore)$/, replacement: pkg('$1') },
    ],
  },
  test: {
    include: ['packages/postgres/test/faults/**/*.fault.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
})
