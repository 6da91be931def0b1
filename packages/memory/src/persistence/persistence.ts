import { type HealthCheck, VectorStoreError } from '@vectorkit/core'
import type { Mutation } from '../mutations'
import { type FsLayer, ioError } from './fs-layer'
import { at, listDir, snapName, walName } from './layout'
import { acquireLock, type DirLock } from './lock-file'
import { LogFile } from './log-file'
import type { ResolvedPersistenceOptions } from './options'
import { type RecoveryReport, recover } from './recovery'
import { writeSnapshot } from './snapshot-io'
import { exportStore, type PersistentHost } from './state-codec'

/**
 * The durability of one `MemoryStore`: the directory lock, the write-ahead log the store's
 * mutation hook appends to, the snapshot schedule, and recovery on open.
 *
 * @internal
 */
export class Persistence {
  private closed = false
  private lastError: VectorStoreError | undefined
  private lastSnapshotAt: string | undefined
  private snapshotting: Promise<void> | undefined
  private readonly timers: ReturnType<typeof setInterval>[] = []

  private constructor(
    private readonly host: PersistentHost,
    private readonly o: ResolvedPersistenceOptions,
    private readonly lock: DirLock,
    private log: LogFile,
    readonly recovery: RecoveryReport,
  ) {
    if (o.fsync === 'interval') this.every(o.fsyncIntervalMs, () => this.log.syncIfDirty())
    if (o.snapshotIntervalMs > 0)
      this.every(o.snapshotIntervalMs, () => (this.log.records > 0 ? this.checkpoint() : Promise.resolve()))
  }

  /** Locks the directory, recovers its state into `host` (empty) and opens the log. */
  static async open(host: PersistentHost, o: ResolvedPersistenceOptions): Promise<Persistence> {
    const fs = o.fs
    try {
      await fs.mkdir(o.path)
    } catch (err) {
      throw ioError(err, `creating data directory ${o.path}`)
    }
    const lock = await acquireLock(fs, o.path)
    try {
      const { report, position } = await recover(fs, o.path, host)
      let log: LogFile
      if (position === undefined) log = await LogFile.create(fs, o.path, 0)
      else if (position.sealed) log = await LogFile.create(fs, o.path, position.generation + 1)
      else log = await LogFile.reopen(fs, o.path, position.generation, position.goodLength, position.records)
      return new Persistence(host, o, lock, log, report)
    } catch (err) {
      await lock.release().catch(() => {})
      throw err
    }
  }

  /**
   * The store's mutation hook: appends the mutation to the log before it is applied (throws,
   * so nothing is applied, when it cannot) and returns the durability promise in `always`.
   */
  readonly hook = (m: Mutation): Promise<void> | undefined => {
    if (this.closed) throw new VectorStoreError('CLOSED', 'the memory store is closed; open a new one')
    this.log.append(m)
    if (
      this.o.snapshotLogBytes > 0 &&
      this.log.bytes >= this.o.snapshotLogBytes &&
      this.snapshotting === undefined
    )
      this.checkpoint().catch(() => {})
    return this.o.fsync === 'always' ? this.log.sync() : undefined
  }

  /** Takes back the last log record: the store could not apply its mutation. */
  abort(): void {
    this.log.rollbackLast()
  }

  /**
   * Writes a snapshot of the current state and starts a new log generation; resolves once the
   * snapshot is durable. Concurrent calls share one snapshot in progress, then run again.
   */
  checkpoint(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.snapshotting !== undefined) await this.snapshotting.catch(() => {})
      await this.snapshot()
    }
    const p = run()
    this.snapshotting = p
    const clear = (): void => {
      if (this.snapshotting === p) this.snapshotting = undefined
    }
    p.then(clear, (err: unknown) => {
      clear()
      this.lastError = err as VectorStoreError
    })
    return p
  }

  private async snapshot(): Promise<void> {
    const fs = this.o.fs
    const dir = this.o.path
    const old = this.log
    const gen = old.generation + 1
    const next = await LogFile.create(fs, dir, gen)
    // From here to the export nothing awaits: the snapshot is exactly the state after the
    // last record of the old log, and every later write goes to the new one.
    try {
      old.append({ type: 'seal', records: old.records })
    } catch (err) {
      await next.finish().catch(() => {})
      await fs.unlink(next.path).catch(() => {})
      throw err
    }
    this.log = next
    const oldDone = old.finish()
    next.after = oldDone
    const image = exportStore(this.host)
    await this.o.onSnapshotPhase?.('rotated')
    await oldDone.catch(() => {})
    await writeSnapshot(fs, dir, gen, image, this.o.onSnapshotPhase)
    this.lastSnapshotAt = new Date().toISOString()
    this.lastError = undefined
    await this.cleanup(gen)
  }

  /** Keeps the newest snapshot before `gen` and the logs since it; removes everything older. */
  private async cleanup(gen: number): Promise<void> {
    const fs = this.o.fs
    const dir = this.o.path
    const listing = await listDir(fs, dir)
    const prev = listing.snaps.find((g) => g < gen)
    if (prev === undefined) return
    try {
      for (const g of listing.snaps) if (g < prev) await fs.unlink(at(dir, snapName(g)))
      for (const g of listing.wals) if (g < prev) await fs.unlink(at(dir, walName(g)))
      await fs.syncDir(dir)
    } catch (err) {
      throw ioError(err, `removing generations older than ${prev}`)
    }
  }

  /** Health of the log and the last snapshot. */
  health(): HealthCheck {
    const failed = this.log.failed ?? this.lastError
    return {
      name: 'persistence',
      status: this.log.failed !== undefined ? 'unhealthy' : failed !== undefined ? 'degraded' : 'healthy',
      ...(failed === undefined ? {} : { message: failed.message }),
      details: {
        path: this.o.path,
        fsync: this.o.fsync,
        generation: this.log.generation,
        logRecords: this.log.records,
        logBytes: this.log.bytes,
        lastSnapshotAt: this.lastSnapshotAt,
        recovery: this.recovery,
      },
    }
  }

  /**
   * Stops the timers, waits for a snapshot in progress, takes a last snapshot when anything
   * changed, syncs and closes the log and releases the lock — the lock even when a step fails
   * (the error then rejects, after the release).
   */
  async close(): Promise<void> {
    if (this.closed) return
    for (const t of this.timers) clearInterval(t)
    let failure: unknown
    try {
      if (this.snapshotting !== undefined) await this.snapshotting.catch(() => {})
      if (this.log.records > 0 && this.log.failed === undefined) await this.checkpoint()
    } catch (err) {
      failure = err
    }
    this.closed = true
    try {
      await this.log.finish()
    } catch (err) {
      failure ??= err
    }
    await this.lock.release()
    if (failure !== undefined) throw failure
  }

  /** The file-system layer in use (tests). */
  get fs(): FsLayer {
    return this.o.fs
  }

  private every(ms: number, task: () => Promise<void>): void {
    const t = setInterval(() => {
      task().catch((err: unknown) => {
        this.lastError = err as VectorStoreError
      })
    }, ms)
    t.unref()
    this.timers.push(t)
  }
}
