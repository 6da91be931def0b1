import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const pkg = (name: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url))

// Tests run against source: every @vectorkit/* import resolves to the package's src/ entry.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vectorkit\/core\/testing$/, replacement: pkg('core', 'testing/index.ts') },
      { find: /^@vectorkit\/(core|memory|postgres|cache|monitor|vectorstore)$/, replacement: pkg('$1') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
