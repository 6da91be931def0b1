import { hostname } from 'node:os'
import { VectorStoreError } from '@vectorkit/core'
import { type FsLayer, ioError } from './fs-layer'
import { at, LOCK_FILE } from './layout'

/** Who holds a data directory (the JSON content of its `LOCK` file). */
export interface LockHolder {
  pid: number
  host: string
  /** ISO time the holder opened the directory. */
  startedAt: string
}

/** A held directory lock. @internal */
export interface DirLock {
  readonly holder: LockHolder
  release(): Promise<void>
}

/**
 * Takes the one-writer lock of a data directory: creates `LOCK` exclusively (`O_EXCL`) with
 * the pid, host and start time. If it exists and names a process of this host that is gone,
 * the lock is stale (its holder crashed) and is taken over; otherwise opening fails with
 * `CONFLICT` naming the holder. A lock left by a crashed process on another host has to be
 * removed by hand (we cannot tell whether that process is alive).
 *
 * @internal
 */
export async function acquireLock(fs: FsLayer, dir: string): Promise<DirLock> {
  const path = at(dir, LOCK_FILE)
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number
    try {
      fd = await fs.open(path, 'wx')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(err, `creating ${path}`)
      const holder = await readHolder(fs, path)
      if (holder !== undefined && !isStale(holder)) throw held(dir, holder)
      // Stale or unreadable (a crash between create and write): take it over.
      await fs.unlink(path).catch(() => {})
      continue
    }
    try {
      await fs.write(fd, new TextEncoder().encode(`${JSON.stringify(me)}\n`))
    } finally {
      await fs.close(fd)
    }
    let released = false
    return {
      holder: me,
      async release() {
        if (released) return
        released = true
        await fs.unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw ioError(err, `removing ${path}`)
        })
      },
    }
  }
  throw new VectorStoreError('CONFLICT', `could not take the lock of ${dir}: another process keeps taking it`)
}

async function readHolder(fs: FsLayer, path: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as LockHolder
    return typeof h?.pid === 'number' && typeof h.host === 'string' ? h : undefined
  } catch {
    return undefined
  }
}

function isStale(h: LockHolder): boolean {
  if (h.host !== hostname()) return false
  if (h.pid === process.pid) return false
  try {
    process.kill(h.pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function held(dir: string, h: LockHolder): VectorStoreError {
  const self =
    h.pid === process.pid && h.host === hostname() ? ' (this process: close the other store first)' : ''
  return new VectorStoreError(
    'CONFLICT',
    `data directory ${dir} is in use by pid ${h.pid} on host ${h.host} since ${h.startedAt}${self}; ` +
      'one process may write a directory at a time',
    { details: { holder: h } },
  )
}
