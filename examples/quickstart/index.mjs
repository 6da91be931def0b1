// vectorkit quickstart: create a collection, upsert a few hundred records with metadata, and
// search with and without a filter. Runs on the embedded memory backend by default, and
// unchanged on PostgreSQL:
//   VECTORKIT_BACKEND=postgres VECTORKIT_DATABASE_URL=postgres://user@localhost/db node index.mjs
import { createVectorStore } from '@vectorkit/vectorstore'

const DIMENSIONS = 32
const TOPICS = ['astronomy', 'cooking', 'football', 'jazz', 'gardening']
const WORDS = {
  astronomy: ['Comets', 'Exoplanets', 'Nebulae', 'Eclipses', 'Pulsars'],
  cooking: ['Sourdough', 'Risotto', 'Curries', 'Dumplings', 'Tarts'],
  football: ['Tactics', 'Goalkeeping', 'Derbies', 'Set pieces', 'Transfers'],
  jazz: ['Bebop', 'Big bands', 'Modal jazz', 'Fusion', 'Standards'],
  gardening: ['Roses', 'Compost', 'Tomatoes', 'Pruning', 'Herbs'],
}

// Real apps get vectors from an embedding model. Here each topic has a fixed direction and
// every article is that direction plus a little noise, from a seeded generator, so every run
// (and every backend) sees the same data.
let seed = 42
function random() {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 4294967296
}
const centres = TOPICS.map(() => Array.from({ length: DIMENSIONS }, () => random() * 2 - 1))
function embed(topic, noise) {
  const centre = centres[TOPICS.indexOf(topic)]
  return centre.map((x) => x + (random() * 2 - 1) * noise)
}

const store = await createVectorStore() // VECTORKIT_BACKEND picks the backend; default memory
console.log(`backend: ${store.backend}\n`)

const articles = await store.createCollection(
  'quickstart_articles',
  { dimensions: DIMENSIONS, metric: 'cosine' },
  { ifNotExists: true }, // re-running the quickstart reuses the collection
)

const records = []
for (let i = 0; i < 300; i++) {
  const topic = TOPICS[i % TOPICS.length]
  const words = WORDS[topic]
  records.push({
    id: `article-${String(i).padStart(3, '0')}`,
    vector: embed(topic, 0.6),
    metadata: {
      title: `${words[Math.floor(i / TOPICS.length) % words.length]}, part ${Math.floor(i / 25) + 1}`,
      topic,
      year: 2000 + ((i * 7) % 25),
    },
  })
}
await articles.upsert(records) // one batch, all-or-nothing
console.log(`upserted ${records.length} articles; the collection holds ${await articles.count()}\n`)

function show(title, hits) {
  console.log(title)
  for (const [rank, hit] of hits.entries()) {
    const { title: name, topic, year } = hit.metadata
    console.log(
      `  ${rank + 1}. ${hit.id}  score ${hit.score.toFixed(3)}  ${topic.padEnd(9)} ${year}  ${name}`,
    )
  }
  console.log()
}

const question = embed('jazz', 0.9) // "something about jazz"
show('Top 5 for a jazz-like query:', await articles.search(question, { k: 5 }))
show(
  'Top 5 jazz articles from 2015 on (filter):',
  await articles.search(question, { k: 5, filter: { topic: 'jazz', year: { $gte: 2015 } } }),
)
show(
  'Top 3 that are not about jazz (filter with $ne):',
  await articles.search(question, { k: 3, filter: { topic: { $ne: 'jazz' } } }),
)

await store.close()
