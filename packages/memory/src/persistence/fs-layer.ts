import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import { VectorStoreError } from '@vectorkit/core'

/**
 * The file-system operations persistence uses, and nothing more. Pass your own to
 * `MemoryStore.open({ fs })` to inject faults (see `createFaultyFs`) or to wrap every call
 * for tracing; the default is {@link nodeFs}.
 *
 * Files are addressed by numeric descriptors so a wrapper can tell which file an `fsync` is
 * for. Appends to the write-ahead log are synchronous (`writeSync`) on purpose: the record
 * reaches the OS before the mutation is applied, so a write that fails is never visible.
 *
 * @example
 * ```ts
 * const tracing: FsLayer = { ...nodeFs, fsync: async (fd) => { console.log('fsync', fd); await nodeFs.fsync(fd) } }
 * const store = await MemoryStore.open({ path: './data', fs: tracing })
 * ```
 */
export interface FsLayer {
  /** Opens a file; `flags` as in `fs.open` (`'r'`, `'w'`, `'wx'`, `'a'`, `'r+'`). */
  open(path: string, flags: string): Promise<number>
  /** Writes all of `data` at the current position. */
  write(fd: number, data: Uint8Array): Promise<void>
  /** Writes all of `data` at the current position, synchronously. */
  writeSync(fd: number, data: Uint8Array): void
  /** Cuts the file to `length` bytes, synchronously (undoes a failed append). */
  ftruncateSync(fd: number, length: number): void
  /** Flushes the file's data and size to stable storage. */
  fsync(fd: number): Promise<void>
  close(fd: number): Promise<void>
  /** Atomically replaces `to` with `from` (same directory). */
  rename(from: string, to: string): Promise<void>
  unlink(path: string): Promise<void>
  /** Names of the entries of a directory. */
  readdir(dir: string): Promise<string[]>
  readFile(path: string): Promise<Uint8Array>
  /** Creates a directory and its parents (no error if it exists). */
  mkdir(dir: string): Promise<void>
  /** Makes renames, creations and deletions in `dir` durable (fsync of the directory). */
  syncDir(dir: string): Promise<void>
}

const READ_STEP = 32 * 1024 * 1024

/**
 * The real file system (`node:fs`).
 *
 * @example
 * ```ts
 * const fd = await nodeFs.open('/tmp/x', 'w')
 * await nodeFs.write(fd, new TextEncoder().encode('hi'))
 * await nodeFs.fsync(fd)
 * await nodeFs.close(fd)
 * ```
 */
export const nodeFs: FsLayer = {
  open: (path, flags) =>
    new Promise((resolve, reject) =>
      fs.open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd))),
    ),
  write: async (fd, data) => {
    let off = 0
    while (off < data.length) {
      const n = await new Promise<number>((resolve, reject) =>
        fs.write(fd, data, off, data.length - off, null, (err, written) =>
          err ? reject(err) : resolve(written),
        ),
      )
      off += n
    }
  },
  writeSync: (fd, data) => {
    let off = 0
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off)
  },
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  fsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  close: (fd) => new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve()))),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (dir) => fsp.readdir(dir),
  readFile: async (path) => {
    // fs.readFile reads in 512 KiB steps; snapshots are hundreds of MB and opening must be
    // fast, so read in large steps into one buffer of the file's size.
    const handle = await fsp.open(path, 'r')
    try {
      const size = (await handle.stat()).size
      // Unzeroed: every byte is overwritten by the read, and zeroing would touch each page twice.
      const out = Buffer.allocUnsafe(size)
      let pos = 0
      while (pos < size) {
        const { bytesRead } = await handle.read(out, pos, Math.min(READ_STEP, size - pos), pos)
        if (bytesRead === 0) break
        pos += bytesRead
      }
      return new Uint8Array(out.buffer, out.byteOffset, pos)
    } finally {
      await handle.close()
    }
  },
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true })
  },
  syncDir: async (dir) => {
    const fd = await nodeFs.open(dir, 'r')
    try {
      await nodeFs.fsync(fd)
    } finally {
      await nodeFs.close(fd)
    }
  },
}

/**
 * Wraps a file-system error as a {@link VectorStoreError}: a full disk or quota is
 * `RESOURCE_EXHAUSTED`, anything else (EIO, EPERM, ...) `INTERNAL`; the errno error is the
 * `cause` and its code is in `details.errno`.
 *
 * @example
 * ```ts
 * try { await fs.fsync(fd) } catch (err) { throw ioError(err, 'fsync of wal-0000000003.log') }
 * ```
 * @internal
 */
export function ioError(err: unknown, what: string): VectorStoreError {
  if (err instanceof VectorStoreError) return err
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const full = code === 'ENOSPC' || code === 'EDQUOT'
  return new VectorStoreError(
    full ? 'RESOURCE_EXHAUSTED' : 'INTERNAL',
    `${what} failed: ${code ?? (err as Error | undefined)?.message ?? String(err)}`,
    { cause: err, details: { errno: code } },
  )
}
