// Measures migrate() from the memory backend to PostgreSQL on the pinned synthetic set
// (clustered, L2-normalised, issue 2's recipe): rows/s of the copy (index build excluded),
// the index build time, and the verification (counts, overlap@10 on sample searches).
//
//   node --conditions=source --import tsx packages/vectorstore/scripts/measure-migration.ts \
//     --url postgres://… [--rows 100000] [--dim 768] [--batch 2000] [--profile speed|flat] [--concurrency 2]
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import { MemoryStore } from '@vectorkit/memory'
import { createVectorStore, type IndexSpec, migrate } from '../src/index'

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    rows: { type: 'string', default: '100000' },
    dim: { type: 'string', default: '768' },
    batch: { type: 'string', default: '2000' },
    profile: { type: 'string', default: 'speed' },
    concurrency: { type: 'string', default: '2' },
  },
})
const url = values.url ?? process.env.VECTORKIT_TEST_DATABASE_URL
if (!url) throw new Error('pass --url postgres://… or set VECTORKIT_TEST_DATABASE_URL')
const rows = Number(values.rows)
const dim = Number(values.dim)
const batch = Number(values.batch)
const index: IndexSpec =
  values.profile === 'flat' ? { type: 'flat' } : { type: 'hnsw', profile: values.profile as 'speed' }

let s = 0x9e3779b9
function rand(): number {
  s = (s + 0x6d2b79f5) >>> 0
  let t = s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
function gauss(): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}
const scale = Float64Array.from({ length: dim }, (_, i) => Math.sqrt((i + 1) ** -0.6))
const centres = Array.from({ length: 100 }, () => Float64Array.from(scale, (sd) => gauss() * sd))

const t0 = performance.now()
const source = await MemoryStore.open()
const col = await source.createCollection('bench768', { dimensions: dim, metric: 'cosine', index })
for (let i = 0; i < rows; i += 5000) {
  const recs = []
  for (let j = i; j < Math.min(rows, i + 5000); j++) {
    const c = centres[Math.floor(rand() * centres.length)]!
    const v = new Float32Array(dim)
    let n = 0
    for (let d = 0; d < dim; d++) {
      v[d] = c[d]! + gauss() * 0.35 * scale[d]!
      n += v[d]! * v[d]!
    }
    n = Math.sqrt(n)
    for (let d = 0; d < dim; d++) v[d]! /= n
    recs.push({
      id: `v${String(j).padStart(7, '0')}`,
      vector: v,
      metadata: { cluster: j % 100, even: j % 2 === 0 },
    })
  }
  await col.upsert(recs)
}
console.error(
  `source ready: ${rows} x ${dim} (${index.type}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
)

const schema = `vk_measure_${process.pid}`
const target = await createVectorStore({
  backend: 'postgres',
  databaseUrl: url,
  postgres: { schema },
  env: false,
})
const rss0 = process.memoryUsage().rss
let rssMax = rss0
const report = await migrate(source, target, {
  batchSize: batch,
  concurrency: Number(values.concurrency),
  verify: { samples: 100, k: 10 },
  onProgress: (p) => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss)
    if (p.phase !== 'copy' || p.batches % 10 === 0)
      console.error(`${p.phase} ${p.copied}/${p.total} ${Math.round(p.rowsPerSec)} rows/s`)
  },
})
const c = report.collections[0]!
// Which side disagrees? recall@10 of each backend's default search against the exact answer,
// on 100 records' own vectors used as queries.
const tcol = await target.collection('bench768')
const recall = { source: 0, target: 0, worstSource: 1, worstTarget: 1 }
const probes = 100
for (let i = 0; i < probes; i++) {
  const id = `v${String(Math.floor((i * rows) / probes)).padStart(7, '0')}`
  const [rec] = await col.get([id])
  const exact = new Set((await col.search(rec!.vector, { k: 10, exact: true })).map((h) => h.id))
  const r = async (hits: { id: string }[]) => hits.filter((h) => exact.has(h.id)).length / exact.size
  const rs = await r(await col.search(rec!.vector, { k: 10 }))
  const rt = await r(await tcol.search(rec!.vector, { k: 10 }))
  recall.source += rs / probes
  recall.target += rt / probes
  recall.worstSource = Math.min(recall.worstSource, rs)
  recall.worstTarget = Math.min(recall.worstTarget, rt)
}
console.log(
  JSON.stringify(
    {
      rows,
      dim,
      index,
      batch,
      concurrency: Number(values.concurrency),
      copyMs: report.copyMs,
      rowsPerSec: report.rowsPerSec,
      indexMs: report.indexMs,
      verification: c.verification,
      rssGrowthMb: (rssMax - rss0) / 1048576,
      recallAt10VsExact: recall,
      ok: report.ok,
    },
    null,
    2,
  ),
)
await target.dropCollection('bench768')
await Promise.all([source.close(), target.close()])
// The store API drops collections, not schemas: remove the schema this run created.
interface PgClient {
  connect(): Promise<void>
  query(text: string): Promise<unknown>
  end(): Promise<void>
}
const pg = createRequire(new URL('../../postgres/package.json', import.meta.url))('pg') as {
  Client: new (options: { connectionString: string }) => PgClient
}
const admin = new pg.Client({ connectionString: url })
await admin.connect()
await admin.query(`drop schema if exists "${schema}" cascade`)
await admin.end()
