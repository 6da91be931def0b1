import { runConformanceSuite } from '@vectorkit/core/testing'
import { MemoryStore } from '../src/index'

// Flat and HNSW collections, on the WebAssembly SIMD kernels.
runConformanceSuite('memory', () => MemoryStore.open({ ttlSweepIntervalMs: 0 }), {
  hnsw: true,
  expectedCapabilities: {
    hnsw: true,
    quantization: true,
    ttl: true,
    persistence: false,
    changeNotifications: false,
  },
})

// The same contract on the plain-JS kernels (runtimes without WebAssembly SIMD).
runConformanceSuite('memory (js kernels)', () => MemoryStore.open({ forceJsKernels: true }), { hnsw: true })

// HNSW graphs linked from the first record (by default small collections are scanned exactly).
runConformanceSuite('memory (graph from the first record)', () => MemoryStore.open({ hnswMinRows: 0 }), {
  hnsw: true,
})
