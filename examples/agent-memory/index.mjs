// Agent memory with vectorkit: one collection per user, long-term facts and short-lived
// (TTL'd) observations, and a recall-by-similarity step before the agent answers. Runs on
// memory by default and unchanged on PostgreSQL (VECTORKIT_BACKEND=postgres VECTORKIT_DATABASE_URL=…).
import { createVectorStore } from '@vectorkit/vectorstore'

const DIMENSIONS = 256
const SHORT_TERM_MS = Number(process.env.AGENT_MEMORY_TTL_MS ?? 1500)

// Stand-in for an embedding model: feature hashing of lower-cased words (minus stop words, with
// a crude plural strip) into a signed vector, so texts that share words are close.
// Deterministic, no model download.
const STOP = new Set(
  'a an and any are as at be before for her his i in is it know like next of on or over should so the this to what with'.split(
    ' ',
  ),
)
function embed(text) {
  const v = new Float32Array(DIMENSIONS)
  for (const raw of text.toLowerCase().match(/[a-z0-9']+/g) ?? []) {
    if (STOP.has(raw)) continue
    const word = raw.length > 3 ? raw.replace(/s$/, '') : raw
    let h = 2166136261
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
    v[(h >>> 0) % DIMENSIONS] += h & 0x80000000 ? -1 : 1
  }
  if (v.every((x) => x === 0)) v[0] = 1 // cosine needs a direction even for "" or stop-words only
  return v
}

const store = await createVectorStore()
console.log(`backend: ${store.backend}, TTL supported: ${store.capabilities.ttl}`)

// Per-user collections keep tenants apart: a search can never cross users, and deleting a user
// is one dropCollection. (One shared collection with a { user } filter works too.)
async function memoryOf(user) {
  return store.createCollection(
    `agent_memory_${user}`,
    { dimensions: DIMENSIONS, metric: 'cosine' },
    { ifNotExists: true },
  )
}

let counter = 0
async function remember(user, text, { kind = 'fact', ttlMs } = {}) {
  const memories = await memoryOf(user)
  const id = `${Date.now().toString(36)}-${(counter++).toString(36)}`
  await memories.upsert([
    {
      id,
      vector: embed(text),
      metadata: { text, kind, at: new Date().toISOString() },
      // TTL is part of the contract: expired records are invisible at once, purged later.
      ...(ttlMs ? { expiresAt: new Date(Date.now() + ttlMs) } : {}),
    },
  ])
}

async function recall(user, question, options = {}) {
  const memories = await memoryOf(user)
  const hits = await memories.search(embed(question), { k: 3, minScore: 0.1, ...options })
  console.log(
    `\n[${user}] recall: "${question}"${options.filter ? ` ${JSON.stringify(options.filter)}` : ''}`,
  )
  if (hits.length === 0) console.log('  (nothing relevant)')
  for (const h of hits)
    console.log(`  ${h.score.toFixed(2)}  ${h.metadata.kind.padEnd(11)} ${h.metadata.text}`)
  return hits
}

// Long-term facts, no expiry.
await remember('alice', 'Alice is allergic to peanuts')
await remember('alice', 'Alice prefers trains over planes for trips in Europe')
await remember('alice', 'Alice works as a nurse on night shifts')
await remember('bob', 'Bob is learning to play the cello')
await remember('bob', 'Bob likes peanuts butter sandwiches for lunch')
// Short-term observations from the current conversation, forgotten after SHORT_TERM_MS.
await remember('alice', 'Alice is planning a trip to Vienna next week', {
  kind: 'observation',
  ttlMs: SHORT_TERM_MS,
})
await remember('alice', 'Alice asked for vegetarian restaurants in Vienna', {
  kind: 'observation',
  ttlMs: SHORT_TERM_MS,
})

await recall('alice', 'what should I know before booking her trip to Vienna?')
await recall('alice', 'any food allergies, like peanuts?')
await recall('bob', 'any food allergies, like peanuts?') // Bob's memories only: no leak from Alice
await recall('alice', 'plans and restaurants in Vienna', { filter: { kind: 'observation' } })

console.log(`\n... waiting ${SHORT_TERM_MS + 300} ms for short-term memories to expire ...`)
await new Promise((resolve) => setTimeout(resolve, SHORT_TERM_MS + 300))

const after = await recall('alice', 'what should I know before booking her trip to Vienna?')
if (after.some((h) => h.metadata.kind === 'observation')) throw new Error('an expired memory was recalled')
const alice = await memoryOf('alice')
console.log(
  `\nalice keeps ${await alice.count()} memories (${await alice.count({ kind: 'observation' })} observations)`,
)

// Forget a user entirely.
await store.dropCollection('agent_memory_bob')
await store.dropCollection('agent_memory_alice')
await store.close()
