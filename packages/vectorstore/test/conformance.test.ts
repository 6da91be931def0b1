import { runConformanceSuite } from '@vectorkit/core/testing'
import { createVectorStore } from '../src/index'

// The rollout store is itself a store: the whole contract holds with reads split at random
// between two backends and every search shadowed.
runConformanceSuite('rollout(memory -> memory), 50% reads, shadow', () =>
  createVectorStore({
    backend: 'rollout',
    primary: 'memory:',
    secondary: 'memory:',
    readPercent: 50,
    shadow: true,
    env: false,
  }),
)
