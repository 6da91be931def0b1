// Media recommendations with vectorkit: content vectors for a catalogue, preference vectors for
// users, "more like this" for an item, recommendations for a user that skip what they have
// already seen, and filters on media type and genre. Runs on memory by default and unchanged on
// PostgreSQL (VECTORKIT_BACKEND=postgres VECTORKIT_DATABASE_URL=postgres://…).
import { createVectorStore } from '@vectorkit/vectorstore'

const DIMENSIONS = 48
const GENRES = ['sci-fi', 'comedy', 'drama', 'horror', 'documentary', 'romance']
const TYPES = ['movie', 'series', 'short']

// Stand-in for an embedding model: each genre has a direction, each title mixes a main genre
// with a second one, plus noise. Seeded, so every run and every backend sees the same catalogue.
let seed = 7
function random() {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 4294967296
}
const genreDirections = GENRES.map(() => Array.from({ length: DIMENSIONS }, () => random() * 2 - 1))
function normalize(v) {
  const n = Math.hypot(...v)
  return v.map((x) => x / n)
}
function contentVector(main, second) {
  const a = genreDirections[GENRES.indexOf(main)]
  const b = genreDirections[GENRES.indexOf(second)]
  return normalize(a.map((x, i) => 0.8 * x + 0.35 * b[i] + (random() - 0.5) * 0.5))
}

const store = await createVectorStore()
console.log(`backend: ${store.backend}`)

// 1. The catalogue: one record per title, its content vector, and metadata to filter on.
const items = await store.createCollection(
  'media_items',
  { dimensions: DIMENSIONS, metric: 'cosine' },
  { ifNotExists: true },
)
const catalogue = []
for (let i = 0; i < 600; i++) {
  const genre = GENRES[i % GENRES.length]
  const second = GENRES[Math.floor(random() * GENRES.length)]
  const type = TYPES[Math.floor(random() * TYPES.length)]
  catalogue.push({
    id: `title-${String(i).padStart(4, '0')}`,
    vector: contentVector(genre, second),
    metadata: { title: `${genre} ${type} #${i}`, type, genre, year: 1980 + (i % 45) },
  })
}
for (let i = 0; i < catalogue.length; i += 200) await items.upsert(catalogue.slice(i, i + 200))
console.log(`catalogue: ${await items.count()} titles (${await items.count({ type: 'movie' })} movies)`)

// 2. Users: a preference vector is the mean of what they watched; `seen` is kept with it.
const users = await store.createCollection(
  'media_users',
  { dimensions: DIMENSIONS, metric: 'cosine' },
  { ifNotExists: true },
)
function watchHistory(favourite, n) {
  return catalogue
    .filter((t) => t.metadata.genre === favourite)
    .slice(0, n)
    .map((t) => t.id)
}
async function saveUser(id, seen) {
  const vectors = (await items.get(seen)).map((r) => Array.from(r.vector))
  const mean = normalize(vectors[0].map((_, d) => vectors.reduce((s, v) => s + v[d], 0) / vectors.length))
  await users.upsert([{ id, vector: mean, metadata: { seen } }])
}
await saveUser('ada', watchHistory('sci-fi', 12))
await saveUser('grace', [...watchHistory('comedy', 6), ...watchHistory('romance', 6)])

function show(title, hits) {
  console.log(`\n${title}`)
  for (const h of hits) {
    const m = h.metadata
    console.log(
      `  ${h.id}  ${h.score.toFixed(3)}  ${m.type.padEnd(6)} ${m.genre.padEnd(11)} ${m.year}  ${m.title}`,
    )
  }
}

// 3. More like this: neighbours of an item's own vector, without the item itself.
const [anchor] = await items.get(['title-0000'])
show(
  `More like ${anchor.id} (${anchor.metadata.title}):`,
  await items.search(anchor.vector, { k: 5, excludeIds: [anchor.id] }),
)

// 4. Recommendations for a user: nearest titles to their taste, minus what they have seen.
async function recommend(userId, options = {}) {
  const [user] = await users.get([userId])
  return items.search(user.vector, { k: 5, excludeIds: user.metadata.seen, ...options })
}
show('For ada (sci-fi fan), unseen titles:', await recommend('ada'))
show('For ada, only series:', await recommend('ada', { filter: { type: 'series' } }))
show(
  'For grace, movies in comedy or romance from 2000 on:',
  await recommend('grace', {
    filter: { type: 'movie', genre: { $in: ['comedy', 'romance'] }, year: { $gte: 2000 } },
  }),
)
show(
  'For grace, anything but horror, min score 0.5:',
  await recommend('grace', { filter: { genre: { $ne: 'horror' } }, minScore: 0.5 }),
)

// The recommendations never include a title the user has seen.
const ada = (await users.get(['ada']))[0]
const recs = await recommend('ada')
if (recs.some((h) => ada.metadata.seen.includes(h.id)))
  throw new Error('recommended a title ada has already seen')

await store.close()
