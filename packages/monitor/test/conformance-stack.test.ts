import { withCache } from '@vectorkit/cache'
import { runConformanceSuite } from '@vectorkit/core/testing'
import { MemoryStore } from '@vectorkit/memory'
import { withMonitor } from '../src/index'

// The decorators must make any stack a valid store: monitor over cache over the memory backend,
// flat and HNSW collections. The cache is small so the suite also runs through evictions.
runConformanceSuite(
  'monitor(cache(memory))',
  async () =>
    withMonitor(withCache(await MemoryStore.open({ ttlSweepIntervalMs: 0 }), { max: 64 }), {
      evaluateEveryMs: 0,
    }),
  {
    hnsw: true,
    expectedCapabilities: { hnsw: true, ttl: true, persistence: false, changeNotifications: false },
  },
)
