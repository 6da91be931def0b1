import { VectorStoreError } from '@vectorkit/core'
import { LOG_HEADER_BYTES, logHeader, parseLog } from './file-format'
import { type FsLayer, ioError } from './fs-layer'
import { at, listDir, snapName, walName } from './layout'
import { decodeEntry } from './record-codec'
import { readSnapshot } from './snapshot-io'
import { importStore, type PersistentHost, resetStore } from './state-codec'

/**
 * What opening a data directory found and did; `MemoryStore.recovery` and `health()` show it.
 *
 * @example
 * ```ts
 * const r = store.recovery
 * if (r && r.skippedSnapshots.length > 0) console.warn('fell back to an older snapshot', r.skippedSnapshots)
 * ```
 */
export interface RecoveryReport {
  /** True when the directory held no data files (a new store). */
  created: boolean
  /** Generation of the snapshot loaded; 0 when the state was rebuilt from logs alone. */
  snapshotGeneration: number
  /** Damaged snapshots passed over (renamed to `*.corrupt`), newest first, with the reason. */
  skippedSnapshots: { file: string; reason: string }[]
  /** Logs replayed, oldest first. */
  replayedLogs: string[]
  /** Log records applied on top of the snapshot. */
  replayedRecords: number
  /** Bytes of an unfinished record cut from the end of the newest log (a write torn by a crash). */
  tornTailBytes: number
  /** Newest logs dropped because they held no record (a crash while starting a generation). */
  droppedEmptyLogs: number
  /** Wall time of the whole recovery. */
  durationMs: number
}

/** Where appending continues after recovery. @internal */
export interface LogPosition {
  generation: number
  goodLength: number
  records: number
  /** The newest log was sealed (a crash between sealing it and using the next one). */
  sealed: boolean
}

function corrupt(message: string, cause?: unknown): VectorStoreError {
  return new VectorStoreError('CORRUPT_DATA', message, cause === undefined ? {} : { cause })
}

/**
 * Loads the newest valid snapshot into `host` (empty on entry) and replays the logs after it.
 * A damaged snapshot is skipped for the previous generation — which loses nothing, since the
 * logs since that generation are kept — and renamed to `*.corrupt`. Anything that cannot be
 * recovered without losing acknowledged writes is `CORRUPT_DATA`: a directory with data is
 * never opened as an empty store.
 *
 * @internal
 */
export async function recover(
  fs: FsLayer,
  dir: string,
  host: PersistentHost,
): Promise<{ report: RecoveryReport; position: LogPosition | undefined }> {
  const started = performance.now()
  const listing = await listDir(fs, dir)
  for (const tmp of listing.tmps) await fs.unlink(at(dir, tmp)).catch(() => {})
  const report: RecoveryReport = {
    created: false,
    snapshotGeneration: 0,
    skippedSnapshots: [],
    replayedLogs: [],
    replayedRecords: 0,
    tornTailBytes: 0,
    droppedEmptyLogs: 0,
    durationMs: 0,
  }
  // A crash while creating the very first log leaves it without even a full header.
  if (
    listing.snaps.length === 0 &&
    listing.wals.length === 1 &&
    listing.wals[0] === 0 &&
    isEmptyLog(await readLog(fs, dir, 0), 0)
  ) {
    await fs.unlink(at(dir, walName(0)))
    listing.wals = []
  }
  if (listing.snaps.length === 0 && listing.wals.length === 0) {
    report.created = true
    report.durationMs = performance.now() - started
    return { report, position: undefined }
  }
  let base = -1
  for (const gen of listing.snaps) {
    try {
      importStore(host, await readSnapshot(fs, dir, gen))
      base = gen
      break
    } catch (err) {
      if (!(err instanceof VectorStoreError) || err.code !== 'CORRUPT_DATA') throw err
      resetStore(host)
      report.skippedSnapshots.push({ file: snapName(gen), reason: err.message })
    }
  }
  if (base < 0) {
    if (listing.wals[0] !== 0) {
      const why = report.skippedSnapshots.map((s) => s.reason).join('; ')
      throw corrupt(
        `${dir}: no usable snapshot${why ? ` (${why})` : ''} and the logs since generation 0 are gone; ` +
          'restore the directory from a backup',
      )
    }
    base = 0
  }
  report.snapshotGeneration = base
  const wals = listing.wals.filter((g) => g >= base)
  for (let i = 0; i < wals.length; i++)
    if (wals[i] !== base + i)
      throw corrupt(`${dir}: ${walName(base + i)} is missing; later logs cannot be replayed`)
  if (wals.length === 0) throw corrupt(`${dir}: ${walName(base)} is missing`)
  // A crash while starting a new generation can leave the newest log(s) with no records —
  // created before the previous log was sealed, or with a half-written header. They hold
  // nothing: drop them, and the log before them is the newest one.
  let live = wals.length
  while (live > 1 && isEmptyLog(await readLog(fs, dir, wals[live - 1]!), wals[live - 1]!)) live--
  let position: LogPosition | undefined
  for (let i = 0; i < live; i++) position = await replayLog(fs, dir, host, wals[i]!, i === live - 1, report)
  if (live < wals.length) {
    for (const gen of wals.slice(live)) await fs.unlink(at(dir, walName(gen)))
    await fs.syncDir(dir)
    report.droppedEmptyLogs = wals.length - live
  }
  for (const s of report.skippedSnapshots) {
    const path = at(dir, s.file)
    await fs.rename(path, `${path}.corrupt`).catch((err) => {
      throw ioError(err, `setting aside the damaged ${s.file}`)
    })
  }
  report.durationMs = performance.now() - started
  return { report, position }
}

async function replayLog(
  fs: FsLayer,
  dir: string,
  host: PersistentHost,
  gen: number,
  last: boolean,
  report: RecoveryReport,
): Promise<LogPosition> {
  const name = walName(gen)
  const bytes = await readLog(fs, dir, gen)
  const parsed = parseLog(bytes, name, last)
  if (parsed.generation !== gen) throw corrupt(`${name}: header says generation ${parsed.generation}`)
  let records = 0
  let sealed = false
  for (const payload of parsed.records) {
    if (sealed) throw corrupt(`${name}: records after the seal`)
    const entry = decodeEntry(payload)
    if (entry.type === 'seal') {
      if (entry.records !== records)
        throw corrupt(`${name}: seal counts ${entry.records} records, found ${records}`)
      sealed = true
      continue
    }
    try {
      host.applyMutation(entry)
    } catch (err) {
      throw corrupt(
        `${name}: record ${records + 1} (${entry.type}) cannot be replayed: ${(err as Error).message}`,
        err,
      )
    }
    records++
  }
  if (!last && !sealed) throw corrupt(`${name}: ends without its seal (the log was truncated)`)
  report.replayedLogs.push(name)
  report.replayedRecords += records
  report.tornTailBytes += parsed.tornBytes
  return { generation: gen, goodLength: parsed.goodLength, records, sealed }
}

async function readLog(fs: FsLayer, dir: string, gen: number): Promise<Uint8Array> {
  try {
    return await fs.readFile(at(dir, walName(gen)))
  } catch (err) {
    throw ioError(err, `reading ${walName(gen)}`)
  }
}

/** A log with no record: its header alone, or a prefix of it (creation cut short), or zeros that short. */
function isEmptyLog(bytes: Uint8Array, gen: number): boolean {
  if (bytes.length > LOG_HEADER_BYTES) return false
  const header = logHeader(gen)
  let prefix = true
  let zeros = true
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== header[i]) prefix = false
    if (bytes[i] !== 0) zeros = false
  }
  return prefix || zeros
}
