import { runConformanceSuite, runFuzzSuite, runModelSuite } from '../src/testing/index'
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

runModelSuite('reference', () => new ReferenceStore(), { hnsw: true })
