import { validationError } from '@vectorkit/core'

/**
 * What the sweeper needs from the store.
 *
 * @example
 * ```ts
 * new TtlSweeper({ purgeExpired: async () => 0 }, 60_000)
 * ```
 */
export interface Purger {
  purgeExpired(): Promise<number>
}

/**
 * Purges expired records: on a periodic timer and, lazily, soon after a read skipped an
 * expired record. Reads never wait for it: expired records are invisible the moment their
 * `expiresAt` passes; the purge only frees their memory.
 *
 * Timers are `unref`'d (they never keep a process alive) and stopped by `close()`. A failed
 * purge (e.g. the write-ahead log refused it) is kept in {@link TtlSweeper.lastError} and
 * reported by `health()`; the next purge retries.
 *
 * @internal
 *
 * @example
 * ```ts
 * const sweeper = new TtlSweeper(store, 60_000)
 * sweeper.schedule() // purge soon
 * sweeper.stop()
 * ```
 */
export class TtlSweeper {
  lastError: unknown
  private readonly timer: ReturnType<typeof setInterval> | undefined
  private scheduled = false
  private stopped = false

  constructor(
    private readonly purger: Purger,
    intervalMs: number,
  ) {
    if (typeof intervalMs !== 'number' || !(intervalMs >= 0) || !Number.isFinite(intervalMs))
      throw validationError(`ttlSweepIntervalMs must be a finite number >= 0, got ${String(intervalMs)}`)
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.run(), intervalMs)
      this.timer.unref()
    }
  }

  /** Purges on the next turn of the event loop (coalesced). */
  schedule(): void {
    if (this.scheduled || this.stopped) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.run()
    }).unref()
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) clearInterval(this.timer)
  }

  private run(): void {
    if (this.stopped) return
    this.purger.purgeExpired().then(
      () => {
        this.lastError = undefined
      },
      (err: unknown) => {
        this.lastError = err
      },
    )
  }
}
