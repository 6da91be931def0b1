import type { VectorStoreError } from '@vectorkit/core'
import { frameRecord, logHeader } from './file-format'
import { type FsLayer, ioError } from './fs-layer'
import { at, walName } from './layout'
import { encodeEntry, type LogEntry } from './record-codec'

interface Waiter {
  resolve(): void
  reject(err: unknown): void
}

/**
 * One open write-ahead log file (`wal-<gen>.log`, opened for append).
 *
 * - {@link LogFile.append} writes a framed record synchronously, before the mutation is
 *   applied: if the write fails, the file is cut back to its previous length and nothing is
 *   applied. If even that fails, the log is *failed*: every later append throws.
 * - {@link LogFile.sync} is group commit: callers waiting for durability share one `fsync`;
 *   appends made while an `fsync` runs wait for the next one.
 * - A failed `fsync` also fails the log for good: after a failed fsync the kernel may have
 *   dropped the dirty pages, so no later fsync could prove earlier writes durable.
 *
 * @internal
 */
export class LogFile {
  records = 0
  /** Bytes written and not yet covered by an fsync. */
  dirty = false
  failed: VectorStoreError | undefined
  private waiters: Waiter[] = []
  private running: Promise<void> | undefined
  private lastRecordStart = -1

  private constructor(
    private readonly fs: FsLayer,
    private readonly fd: number,
    readonly path: string,
    readonly generation: number,
    private size: number,
    /** Durability of this log's writes depends on the previous log being synced first. */
    after: Promise<void> | undefined,
  ) {
    this.after = after
  }

  /**
   * The previous log's final sync: this log's first fsync waits for it, so a record of this
   * log is never durable while an earlier one might not be. Its failure does not fail this log.
   */
  after: Promise<void> | undefined

  /** Creates `wal-<gen>.log` with its header, durable (file and directory synced). */
  static async create(fs: FsLayer, dir: string, gen: number, after?: Promise<void>): Promise<LogFile> {
    const path = at(dir, walName(gen))
    let fd: number
    try {
      fd = await fs.open(path, 'ax')
    } catch (err) {
      throw ioError(err, `creating ${walName(gen)}`)
    }
    try {
      const header = logHeader(gen)
      fs.writeSync(fd, header)
      await fs.fsync(fd)
      await fs.syncDir(dir)
      return new LogFile(fs, fd, path, gen, header.length, after)
    } catch (err) {
      await fs.close(fd).catch(() => {})
      await fs.unlink(path).catch(() => {})
      throw ioError(err, `creating ${walName(gen)}`)
    }
  }

  /** Reopens an existing log for append after recovery, cutting off a torn tail. */
  static async reopen(
    fs: FsLayer,
    dir: string,
    gen: number,
    goodLength: number,
    records: number,
  ): Promise<LogFile> {
    const path = at(dir, walName(gen))
    let fd: number
    try {
      fd = await fs.open(path, 'a')
    } catch (err) {
      throw ioError(err, `opening ${walName(gen)}`)
    }
    try {
      fs.ftruncateSync(fd, goodLength)
      await fs.fsync(fd)
    } catch (err) {
      await fs.close(fd).catch(() => {})
      throw ioError(err, `truncating the torn tail of ${walName(gen)}`)
    }
    const log = new LogFile(fs, fd, path, gen, goodLength, undefined)
    log.records = records
    return log
  }

  /** Bytes in the file. */
  get bytes(): number {
    return this.size
  }

  /** Appends one entry synchronously; throws (with nothing appended) when it cannot. */
  append(entry: LogEntry): void {
    if (this.failed !== undefined) throw this.failed
    const bytes = frameRecord(encodeEntry(entry))
    try {
      this.fs.writeSync(this.fd, bytes)
    } catch (err) {
      const e = ioError(err, `appending to ${walName(this.generation)}`)
      try {
        this.fs.ftruncateSync(this.fd, this.size)
      } catch (cutErr) {
        this.failed = ioError(cutErr, `undoing a failed append to ${walName(this.generation)}`)
      }
      throw e
    }
    this.lastRecordStart = this.size
    this.size += bytes.length
    this.records++
    this.dirty = true
  }

  /**
   * Removes the record just appended (its mutation could not be applied after all). Only
   * the most recent record can be taken back.
   */
  rollbackLast(): void {
    if (this.lastRecordStart < 0 || this.failed !== undefined) return
    try {
      this.fs.ftruncateSync(this.fd, this.lastRecordStart)
      this.size = this.lastRecordStart
      this.records--
    } catch (err) {
      this.failed = ioError(err, `taking back a record of ${walName(this.generation)}`)
    }
    this.lastRecordStart = -1
  }

  /** Resolves once everything appended so far is on stable storage. */
  sync(): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed)
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      this.running ??= this.drain()
    })
  }

  /** Syncs if anything was written since the last sync (the `interval` timer). */
  syncIfDirty(): Promise<void> {
    return this.dirty ? this.sync() : Promise.resolve()
  }

  /** Waits for pending syncs, syncs a last time and closes the file. */
  async finish(): Promise<void> {
    try {
      if (this.failed === undefined) await this.sync()
    } finally {
      await this.fs.close(this.fd).catch(() => {})
    }
  }

  private async drain(): Promise<void> {
    while (this.waiters.length > 0) {
      const batch = this.waiters
      this.waiters = []
      try {
        if (this.after !== undefined) {
          await this.after.catch(() => {})
          this.after = undefined
        }
        this.dirty = false
        await this.fs.fsync(this.fd)
        for (const w of batch) w.resolve()
      } catch (err) {
        this.failed ??= ioError(err, `fsync of ${walName(this.generation)}`)
        for (const w of [...batch, ...this.waiters]) w.reject(this.failed)
        this.waiters = []
      }
    }
    this.running = undefined
  }
}
