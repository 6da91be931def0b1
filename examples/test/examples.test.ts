import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import {
  getTestDatabase,
  markPostgresTestRan,
  type TestDatabase,
} from '../../packages/postgres/test/test-database'

// Every example runs as a user runs it: `node examples/<name>/index.mjs` against the BUILT
// packages (`pnpm test` builds first), on the memory backend and on PostgreSQL.
const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const built = ['core', 'memory', 'postgres', 'cache', 'monitor', 'vectorstore'].map(
  (p) => `packages/${p}/dist/index.js`,
)

const EXAMPLES: { name: string; expect: RegExp[] }[] = [
  {
    name: 'quickstart',
    expect: [
      /upserted 300 articles; the collection holds 300/,
      /Top 5 jazz articles from 2015 on \(filter\):\n {2}1\. article-/,
    ],
  },
  {
    name: 'media-recommendations',
    expect: [
      /catalogue: 600 titles/,
      /For ada \(sci-fi fan\), unseen titles:\n {2}title-/,
      /For grace, movies in comedy or romance/,
    ],
  },
  {
    name: 'agent-memory',
    expect: [
      /TTL supported: true/,
      /0\.\d\d {2}observation Alice is planning a trip to Vienna/,
      /alice keeps 3 memories \(0 observations\)/,
    ],
  },
  {
    name: 'backend-migration',
    expect: [
      /counts 2000 = 2000, overlap@10/,
      /week 2: rollout at 50%/,
      /monitor: overlap@10 mean [01]\.\d{3}/,
      /2300 articles \(memory had 2300\); memory backend removed/,
    ],
  },
]

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('VECTORKIT_') && k !== 'DATABASE_URL') env[k] = v
  return { ...env, AGENT_MEMORY_TTL_MS: '700', NODE_NO_WARNINGS: '1', ...extra }
}

async function runExample(name: string, env: Record<string, string>): Promise<string> {
  const missing = built.filter((p) => !existsSync(`${root}${p}`))
  if (missing.length > 0)
    throw new Error(
      `examples run against built packages; missing ${missing.join(', ')}: run \`pnpm build\` first (\`pnpm test\` does)`,
    )
  const { stdout } = await run(process.execPath, [`examples/${name}/index.mjs`], {
    cwd: root,
    env: cleanEnv(env),
  })
  return stdout
}

let db: TestDatabase | undefined
afterAll(async () => {
  await db?.cleanup()
})

describe.each(EXAMPLES)('example $name', ({ name, expect: patterns }) => {
  it('runs on the memory backend', async () => {
    const out = await runExample(name, {})
    expect(out).toMatch(/backend: memory|memory backend/)
    for (const p of patterns) expect(out).toMatch(p)
  }, 120_000)

  it('runs unchanged on PostgreSQL (VECTORKIT_BACKEND=postgres)', async () => {
    db ??= await getTestDatabase()
    markPostgresTestRan(db, `example-${name}`)
    const out = await runExample(name, {
      VECTORKIT_BACKEND: 'postgres',
      VECTORKIT_DATABASE_URL: db.url,
      VECTORKIT_POSTGRES_SCHEMA: db.newSchema(`ex_${name.replace(/-/g, '_')}`),
    })
    expect(out).toMatch(name === 'backend-migration' ? /copying memory → postgres/ : /backend: postgres/)
    for (const p of patterns) expect(out).toMatch(p)
  }, 120_000)
})
