import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// These tests run the BUILT package the way users run it (`pnpm test` builds first).
const run = promisify(execFile)
const pkg = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url))
const dists = ['../core/dist/index.js', '../memory/dist/index.js', 'dist/index.js', 'dist/cli.js']

function requireBuilt(): void {
  const missing = dists.filter((d) => !existsSync(pkg(d)))
  if (missing.length > 0)
    throw new Error(
      `built files missing (${missing.join(', ')}): run \`pnpm build\` first (\`pnpm test\` does)`,
    )
}

describe('built @vectorkit/vectorstore', () => {
  it('can be require()d from CommonJS: create, upsert, search, errors', async () => {
    requireBuilt()
    const { stdout } = await run(process.execPath, [pkg('test/fixtures/require-facade.cjs')], {
      env: { ...process.env, NODE_NO_WARNINGS: '1', VECTORKIT_BACKEND: '' },
    })
    expect(JSON.parse(stdout)).toEqual({
      all: ['a', 'b'],
      english: ['a', 'c'],
      unknownBackend: 'backend "nope" is not a backend; valid backends: memory, postgres, rollout',
      pgLoaded: false,
      cliLoaded: false,
    })
  }, 60_000)

  it('ships the vectorkit CLI as an executable with meaningful exit codes', async () => {
    requireBuilt()
    const env = { ...process.env, VECTORKIT_BACKEND: '' }
    const ok = await run(process.execPath, [pkg('dist/cli.js'), 'health', 'memory:'], { env })
    expect(ok.stdout).toMatch(/^memory: healthy/)
    const bad = await run(process.execPath, [pkg('dist/cli.js'), 'stats', 'mongodb://x'], { env }).catch(
      (e) => e,
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/store URL "mongodb:\/\/x" is not understood/)
  }, 60_000)
})
