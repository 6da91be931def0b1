// Moving a live app from the memory backend to PostgreSQL with vectorkit, the way the
// reference design does it: copy the data, then shift reads 10% → 50% → 100% with shadow reads
// checking that both backends agree, then drop the old backend.
//
//   VECTORKIT_DATABASE_URL=postgres://user@127.0.0.1:5432/db node index.mjs   # memory → PostgreSQL
//   node index.mjs                                                           # memory → a second memory store (dry run)
import { createVectorStore, migrate, monitorOf, rolloutOf, withCallerKey } from '@vectorkit/vectorstore'

const DIMENSIONS = 64
const targetUrl = process.env.VECTORKIT_DATABASE_URL || process.env.DATABASE_URL

let seed = 11
function random() {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 4294967296
}
const centres = Array.from({ length: 20 }, () => Array.from({ length: DIMENSIONS }, () => random() * 2 - 1))
function vector() {
  const c = centres[Math.floor(random() * centres.length)]
  return c.map((x) => x + (random() - 0.5) * 0.8)
}
let nextId = 0
function articles(n) {
  return Array.from({ length: n }, () => {
    const i = nextId++
    return {
      id: `a${String(i).padStart(6, '0')}`,
      vector: vector(),
      metadata: { section: ['news', 'sport', 'culture'][i % 3], n: i },
    }
  })
}
const spec = { dimensions: DIMENSIONS, metric: 'cosine', index: { type: 'hnsw', profile: 'balanced' } }

// Week 0: the app runs on the embedded memory backend.
const memory = await createVectorStore({ backend: 'memory' })
const onMemory = await memory.createCollection('articles', spec)
for (let i = 0; i < 4; i++) await onMemory.upsert(articles(500))
console.log(`week 0: memory backend, ${await onMemory.count()} articles`)

// The new backend, and a copy of everything written so far.
const target = targetUrl
  ? await createVectorStore({ backend: 'postgres', databaseUrl: targetUrl })
  : await createVectorStore({ backend: 'memory' })
const targetName = targetUrl ? 'postgres' : 'memory #2'
console.log(`\ncopying memory → ${targetName} ...`)
const copy = await migrate(memory, target, { batchSize: 500, ifExists: 'replace' })
for (const c of copy.collections)
  console.log(
    `  ${c.name}: ${c.copied} records at ${Math.round(copy.rowsPerSec)} rows/s (+${Math.round(c.indexMs)} ms index build); counts ${c.verification.sourceCount} = ${c.verification.targetCount}, overlap@10 ${c.verification.overlapAtK.toFixed(3)}`,
  )

// Weeks 1–3: rollout. Writes go to memory (the source of truth) then PostgreSQL; reads shift by
// percentage, sticky per user; every search is shadowed and compared in the monitor.
for (const [week, readPercent] of [
  [1, 10],
  [2, 50],
  [3, 100],
]) {
  const served = { primary: 0, secondary: 0 }
  const store = await createVectorStore({
    backend: 'rollout',
    primary: memory,
    secondary: target,
    readPercent,
    shadow: true,
    monitor: true,
    shadowRecorder: { recordShadowRead: (s) => served[s.served]++ },
  })
  const live = await store.collection('articles')
  await live.upsert(articles(100)) // the app keeps writing during the move
  for (let i = 0; i < 300; i++) {
    const user = `user-${i % 60}`
    await withCallerKey(user, () =>
      live.search(vector(), { k: 10, filter: i % 4 === 0 ? { section: 'news' } : undefined }),
    )
  }
  await rolloutOf(store).settled()
  const [shadow] = monitorOf(store).metrics().shadow
  const health = await store.health()
  console.log(
    `\nweek ${week}: rollout at ${readPercent}% → ${served.secondary} of ${served.primary + served.secondary} searches served by ${targetName}`,
  )
  console.log(
    `  monitor: overlap@10 mean ${shadow.meanOverlap.toFixed(3)}, min ${shadow.minOverlap.toFixed(2)} over ${shadow.comparisons} shadow reads; p50 ${shadow.primaryMs.p50.toFixed(2)} ms memory vs ${shadow.secondaryMs.p50.toFixed(2)} ms ${targetName}`,
  )
  console.log(`  health: ${health.status}, outbox ${rolloutOf(store).outboxState().pending} pending`)
  await store.close() // closes the rollout and its monitor; memory and target were passed in and stay open
}

// Week 4: PostgreSQL only; the memory backend is removed.
const finalCount = await (await target.collection('articles')).count()
const memoryCount = await onMemory.count()
await memory.close()
console.log(
  `\nweek 4: ${targetName} only, ${finalCount} articles (memory had ${memoryCount}); memory backend removed`,
)
if (finalCount !== memoryCount) throw new Error('the new backend lost writes')
await target.dropCollection('articles')
await target.close()
