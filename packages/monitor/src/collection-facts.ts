import type { CollectionStats, VectorStore } from '@vectorkit/core'

/**
 * Collection statistics for the gauges (vectors, bytes, tombstones, index facts), read from the
 * wrapped store at most every `statsEveryMs` and only when metrics are scraped, so an idle
 * monitor never queries the backend. Reads go to the wrapped store directly: they are not
 * counted as application operations.
 */
export class CollectionFacts {
  private stats = new Map<string, CollectionStats>()
  private at = Number.NEGATIVE_INFINITY
  private pending: Promise<void> | undefined
  /** Refreshes that failed as a whole (e.g. the backend is down). */
  errors = 0

  constructor(
    private readonly store: VectorStore,
    private readonly everyMs: number,
    private readonly clock: { now(): number },
  ) {}

  /** The statistics as last read, without refreshing. */
  last(): ReadonlyMap<string, CollectionStats> {
    return this.stats
  }

  /** Refreshes when stale, then returns the statistics. A failed refresh keeps the old ones. */
  async get(): Promise<ReadonlyMap<string, CollectionStats>> {
    if (this.clock.now() - this.at >= this.everyMs) {
      this.pending ??= this.refresh().finally(() => {
        this.pending = undefined
      })
      await this.pending
    }
    return this.stats
  }

  private async refresh(): Promise<void> {
    const next = new Map<string, CollectionStats>()
    try {
      for (const info of await this.store.listCollections()) {
        try {
          const collection = await this.store.collection(info.name)
          next.set(info.name, await collection.stats())
        } catch {
          // Dropped between the listing and the read: it simply has no gauge this time.
        }
      }
      this.stats = next
    } catch {
      // The scrape still answers with the last known values; the failure is counted and exported.
      this.errors++
    } finally {
      this.at = this.clock.now()
    }
  }
}
