import { runFuzzSuite, runModelSuite } from '@vectorkit/core/testing'
import { MemoryStore } from '../src/index'

// Random command sequences against a brute-force model. With hnswMinRows 0 every HNSW
// collection is a linked graph from its first record, so tombstones, repair and row reuse
// are exercised on tiny graphs (the model's searches are exact).
runModelSuite('memory', () => MemoryStore.open({ hnswMinRows: 0, ttlSweepIntervalMs: 0 }), { hnsw: true })

runFuzzSuite('memory', () => MemoryStore.open({ ttlSweepIntervalMs: 0 }))
