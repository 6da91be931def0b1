import { resolve } from 'node:path'
import { validationError } from '@vectorkit/core'
import { type FsLayer, nodeFs } from './fs-layer'
import type { PhaseHook } from './snapshot-io'

/**
 * When the write-ahead log is forced to stable storage (`fsync`). Every acknowledged write has
 * reached the operating system in every mode, so a crash of the *process* loses nothing; the
 * modes differ in what a crash of the *machine* (power loss, kernel panic) can lose:
 *
 * - `always`: a write is acknowledged only after its log record is fsynced (group commit:
 *   concurrent writes share one fsync). Nothing acknowledged is ever lost.
 * - `interval` (default): the log is fsynced every `fsyncIntervalMs` (default 1000 ms) when
 *   it changed. At most that much of the latest acknowledged writes can be lost.
 * - `never`: only snapshots and `close()` fsync. Everything since the last snapshot can be lost.
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open({ path: './data', fsync: 'always' })
 * ```
 */
export type FsyncPolicy = 'always' | 'interval' | 'never'

/**
 * Persistence options of `MemoryStore.open` (all optional except `path`).
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open({ path: './data', fsync: 'interval', fsyncIntervalMs: 200, snapshotIntervalMs: 60_000 })
 * ```
 */
export interface PersistenceOptions {
  /** Data directory; created if missing. One process may write it at a time. */
  path: string
  /** See {@link FsyncPolicy}. Default `'interval'`. */
  fsync?: FsyncPolicy
  /** Period of the `interval` fsync, ms. Default 1000. */
  fsyncIntervalMs?: number
  /** How often a snapshot is taken when something changed, ms; 0 = only on `close()` and `checkpoint()`. Default 300,000 (5 min). */
  snapshotIntervalMs?: number
  /** Also take a snapshot once the current log holds this many bytes; 0 = no limit. Default 256 MiB. */
  snapshotLogBytes?: number
  /** File-system layer (fault injection, tracing). Default: `node:fs`. */
  fs?: FsLayer
  /** Testing: awaited before each step of a snapshot (crash tests stop the process there). */
  onSnapshotPhase?: PhaseHook
}

/** {@link PersistenceOptions} with defaults applied. @internal */
export interface ResolvedPersistenceOptions {
  path: string
  fsync: FsyncPolicy
  fsyncIntervalMs: number
  snapshotIntervalMs: number
  snapshotLogBytes: number
  fs: FsLayer
  onSnapshotPhase: PhaseHook | undefined
}

function ms(name: string, v: unknown, dflt: number, min: number): number {
  if (v === undefined) return dflt
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw validationError(`${name} must be a finite number >= ${min}, got ${String(v)}`)
  return v
}

/** Validates persistence options (`VALIDATION` on bad input, before touching the disk). @internal */
export function resolvePersistenceOptions(o: PersistenceOptions): ResolvedPersistenceOptions {
  if (typeof o.path !== 'string' || o.path.length === 0)
    throw validationError(`path must be a non-empty string, got ${JSON.stringify(o.path)}`)
  const fsync = o.fsync ?? 'interval'
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never')
    throw validationError(`fsync must be 'always', 'interval' or 'never', got ${JSON.stringify(fsync)}`)
  return {
    path: resolve(o.path),
    fsync,
    fsyncIntervalMs: ms('fsyncIntervalMs', o.fsyncIntervalMs, 1000, 1),
    snapshotIntervalMs: ms('snapshotIntervalMs', o.snapshotIntervalMs, 300_000, 0),
    snapshotLogBytes: ms('snapshotLogBytes', o.snapshotLogBytes, 256 * 1024 * 1024, 0),
    fs: o.fs ?? nodeFs,
    onSnapshotPhase: o.onSnapshotPhase,
  }
}
