import { join } from 'node:path'
import type { FsLayer } from './fs-layer'

/**
 * Names of the files in a data directory. Generation `g` is a snapshot `snap-<g>.vks` (the
 * state after every record of `wal-<g-1>.log`) plus the log `wal-<g>.log` of the writes made
 * after it; generation 0 has no snapshot (it starts empty). The newest two snapshots and the
 * logs since the older of them are kept, so losing the newest snapshot loses no write.
 *
 * @internal
 */
export const LOCK_FILE = 'LOCK'

const pad = (g: number): string => String(g).padStart(10, '0')
/** @internal */
export const snapName = (g: number): string => `snap-${pad(g)}.vks`
/** @internal */
export const tmpName = (g: number): string => `snap-${pad(g)}.tmp`
/** @internal */
export const walName = (g: number): string => `wal-${pad(g)}.log`

/** What a data directory holds. @internal */
export interface DirListing {
  /** Generations with a snapshot, newest first. */
  snaps: number[]
  /** Generations with a log, oldest first. */
  wals: number[]
  /** Leftover temporary files of snapshots that never completed. */
  tmps: string[]
}

/** Lists a data directory's data files. @internal */
export async function listDir(fs: FsLayer, dir: string): Promise<DirListing> {
  const out: DirListing = { snaps: [], wals: [], tmps: [] }
  for (const name of await fs.readdir(dir)) {
    let m = /^snap-(\d{10})\.vks$/.exec(name)
    if (m) {
      out.snaps.push(Number(m[1]))
      continue
    }
    m = /^wal-(\d{10})\.log$/.exec(name)
    if (m) {
      out.wals.push(Number(m[1]))
      continue
    }
    if (/^snap-\d{10}\.tmp$/.test(name)) out.tmps.push(name)
  }
  out.snaps.sort((a, b) => b - a)
  out.wals.sort((a, b) => a - b)
  return out
}

/** `dir/name`. @internal */
export const at = (dir: string, name: string): string => join(dir, name)
