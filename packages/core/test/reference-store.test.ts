import { runConformanceSuite, runFuzzSuite } from '@vectorkit/core/testing'
import { ReferenceStore } from './reference-store'

runConformanceSuite('reference', () => new ReferenceStore(), {
  hnsw: true,
  expectedCapabilities: { ttl: true, persistence: false },
})

// The branch a backend without TTL takes.
runConformanceSuite('reference without ttl', () => new ReferenceStore({ ttl: false }), {
  expectedCapabilities: { ttl: false },
})

runFuzzSuite('reference', () => new ReferenceStore())
