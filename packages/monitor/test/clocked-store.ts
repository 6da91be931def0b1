import type { Collection, ErrorCode, HealthReport, VectorStore } from '@vectorkit/core'
import { VectorStoreError } from '@vectorkit/core'
import { createNoopStore } from '../src/index'

/** A fake clock tests move by hand. */
export class FakeClock {
  t = 1_000
  now = (): number => this.t
}

/**
 * A no-op store whose searches "take" `latencyMs` on the fake clock and can fail with a code,
 * and whose health report is scripted.
 */
export class ClockedStore implements VectorStore {
  readonly backend = 'clocked'
  latencyMs = 1
  failWith: ErrorCode | 'TypeError' | undefined
  healthReport: HealthReport = { status: 'healthy', backend: 'clocked', checks: [] }
  healthCalls = 0
  private readonly base = createNoopStore()
  readonly capabilities = this.base.capabilities

  constructor(private readonly clock: FakeClock) {}

  private step(): void {
    this.clock.t += this.latencyMs
    if (this.failWith === 'TypeError') throw new TypeError('boom')
    if (this.failWith) throw new VectorStoreError(this.failWith, `scripted ${this.failWith}`)
  }

  async createCollection<M extends import('@vectorkit/core').Metadata>(name: string): Promise<Collection<M>> {
    return this.collection<M>(name)
  }

  async collection<M extends import('@vectorkit/core').Metadata>(name: string): Promise<Collection<M>> {
    const inner = await this.base.collection<M>(name)
    return {
      ...inner,
      name: inner.name,
      spec: inner.spec,
      search: async (q, o) => {
        this.step()
        return inner.search(q, o)
      },
    }
  }

  listCollections = () => this.base.listCollections()
  dropCollection = (name: string) => this.base.dropCollection(name)

  async health(): Promise<HealthReport> {
    this.healthCalls++
    return this.healthReport
  }

  close = () => this.base.close()
}
