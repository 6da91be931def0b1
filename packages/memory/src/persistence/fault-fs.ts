import { basename } from 'node:path'
import { type FsLayer, nodeFs } from './fs-layer'

/** An operation of {@link FsLayer} a fault can target. */
export type FsOp =
  | 'open'
  | 'write'
  | 'writeSync'
  | 'ftruncateSync'
  | 'fsync'
  | 'rename'
  | 'unlink'
  | 'syncDir'

/**
 * One injected failure: the next `times` calls of `op` on a file whose base name matches
 * `file` throw an error with errno code `code` (e.g. `EIO`, `ENOSPC`, `EPERM`).
 *
 * @example
 * ```ts
 * const rule: FaultRule = { op: 'fsync', file: /^snap-/, code: 'EIO' }
 * ```
 */
export interface FaultRule {
  op: FsOp
  code: string
  /** Matches the base name of the file (for `rename`: of the source). Default: every file. */
  file?: RegExp
  /** How many matching calls fail; default 1. `Infinity` = until the rule is removed. */
  times?: number
  /** Matching calls to let through before failing; default 0. */
  after?: number
}

/** A {@link FsLayer} with faults that tests add and remove while it runs. */
export interface FaultyFs extends FsLayer {
  /** Arms a fault. */
  inject(rule: FaultRule): void
  /** Removes every armed fault. */
  clear(): void
  /** How many faults fired so far. */
  readonly fired: number
}

/**
 * Wraps a {@link FsLayer} (default {@link nodeFs}) so chosen operations fail with chosen
 * errno codes — the way to prove that a failed `write`, `fsync` or `rename` leaves the data
 * directory loadable.
 *
 * @example
 * ```ts
 * const fs = createFaultyFs()
 * const store = await MemoryStore.open({ path: dir, fs })
 * fs.inject({ op: 'rename', file: /^snap-/, code: 'EPERM' })
 * await expect(store.checkpoint()).rejects.toThrow()
 * ```
 */
export function createFaultyFs(base: FsLayer = nodeFs): FaultyFs {
  const rules: (FaultRule & { left: number; skip: number })[] = []
  const paths = new Map<number, string>()
  let fired = 0

  const check = (op: FsOp, path: string | undefined): void => {
    const name = path === undefined ? '' : basename(path)
    for (const r of rules) {
      if (r.op !== op || r.left <= 0) continue
      if (r.file !== undefined && !r.file.test(name)) continue
      if (r.skip > 0) {
        r.skip--
        continue
      }
      r.left--
      fired++
      const err = new Error(`${r.code}: injected fault, ${op} '${path ?? ''}'`) as NodeJS.ErrnoException
      err.code = r.code
      err.syscall = op
      if (path !== undefined) err.path = path
      throw err
    }
  }

  return {
    get fired() {
      return fired
    },
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 })
    },
    clear() {
      rules.length = 0
    },
    async open(path, flags) {
      check('open', path)
      const fd = await base.open(path, flags)
      paths.set(fd, path)
      return fd
    },
    async write(fd, data) {
      check('write', paths.get(fd))
      await base.write(fd, data)
    },
    writeSync(fd, data) {
      check('writeSync', paths.get(fd))
      base.writeSync(fd, data)
    },
    ftruncateSync(fd, length) {
      check('ftruncateSync', paths.get(fd))
      base.ftruncateSync(fd, length)
    },
    async fsync(fd) {
      check('fsync', paths.get(fd))
      await base.fsync(fd)
    },
    async close(fd) {
      paths.delete(fd)
      await base.close(fd)
    },
    async rename(from, to) {
      check('rename', from)
      await base.rename(from, to)
    },
    async unlink(path) {
      check('unlink', path)
      await base.unlink(path)
    },
    readdir: (dir) => base.readdir(dir),
    readFile: (path) => base.readFile(path),
    mkdir: (dir) => base.mkdir(dir),
    async syncDir(dir) {
      check('syncDir', dir)
      await base.syncDir(dir)
    },
  }
}
