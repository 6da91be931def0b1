import { VectorStoreError } from '@vectorkit/core'
import { decodeBag, encodeBag } from './bag-codec'
import { crc, snapshotHeader, snapshotTrailer, verifySnapshot } from './file-format'
import { type FsLayer, ioError } from './fs-layer'
import { at, snapName, tmpName } from './layout'
import type { StoreImage } from './state-codec'

/**
 * The steps of writing a snapshot, in order. A test can stop the process at each one
 * (`onSnapshotPhase`) to prove that a crash anywhere leaves a loadable directory.
 *
 * - `rotated`: the next log is live and the old one sealed; the state is captured.
 * - `writing`: part of the temporary file is written.
 * - `written`: the temporary file is complete, not yet fsynced.
 * - `synced`: the temporary file is durable, not yet renamed.
 * - `renamed`: the snapshot has its final name; the directory is not yet fsynced.
 * - `published`: the directory is fsynced; older generations are not yet removed.
 *
 * @example
 * ```ts
 * const phase: SnapshotPhase = 'renamed'
 * ```
 */
export type SnapshotPhase = 'rotated' | 'writing' | 'written' | 'synced' | 'renamed' | 'published'

/** Called before each {@link SnapshotPhase}'s next step; may be async. @internal */
export type PhaseHook = (phase: SnapshotPhase) => void | Promise<void>

/**
 * Writes `image` as generation `gen`: a temporary file in the same directory, fsynced, renamed
 * over the final name, then the directory fsynced. On any failure the temporary file is
 * removed and the error rejects; the previous snapshot is never touched.
 *
 * @internal
 */
export async function writeSnapshot(
  fs: FsLayer,
  dir: string,
  gen: number,
  image: StoreImage,
  onPhase: PhaseHook | undefined,
): Promise<void> {
  const bag = encodeBag(image)
  const tmp = at(dir, tmpName(gen))
  let fd: number | undefined
  let step = `creating ${tmpName(gen)}`
  try {
    fd = await fs.open(tmp, 'w')
    step = `writing ${tmpName(gen)}`
    await fs.write(fd, snapshotHeader(gen, bag.byteLength))
    let sum = 0
    let written = 0
    let halfway = false
    // Coalesce small parts so a snapshot is a few large writes, not thousands of tiny ones.
    let pending: Uint8Array[] = []
    let pendingBytes = 0
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return
      const chunk = pending.length === 1 ? pending[0]! : concatParts(pending, pendingBytes)
      sum = crc(chunk, sum)
      await fs.write(fd!, chunk)
      written += pendingBytes
      pending = []
      pendingBytes = 0
      if (!halfway && written * 2 >= bag.byteLength) {
        halfway = true
        await onPhase?.('writing')
      }
    }
    for (const part of bag.parts) {
      pending.push(part)
      pendingBytes += part.length
      if (pendingBytes >= 1 << 18) await flush()
    }
    await flush()
    if (!halfway) await onPhase?.('writing')
    await fs.write(fd, snapshotTrailer(sum))
    await onPhase?.('written')
    step = `fsync of ${tmpName(gen)}`
    await fs.fsync(fd)
    const closing = fd
    fd = undefined
    await fs.close(closing)
    await onPhase?.('synced')
    step = `renaming ${tmpName(gen)} to ${snapName(gen)}`
    await fs.rename(tmp, at(dir, snapName(gen)))
  } catch (err) {
    if (fd !== undefined) await fs.close(fd).catch(() => {})
    await fs.unlink(tmp).catch(() => {})
    throw ioError(err, step)
  }
  await onPhase?.('renamed')
  try {
    await fs.syncDir(dir)
  } catch (err) {
    throw ioError(err, `fsync of directory ${dir} after publishing ${snapName(gen)}`)
  }
  await onPhase?.('published')
}

function concatParts(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length)
  let pos = 0
  for (const p of parts) {
    out.set(p, pos)
    pos += p.length
  }
  return out
}

/**
 * Reads and checks snapshot `gen`. Rejects with `CORRUPT_DATA` when it fails any check, with
 * an I/O error (not `CORRUPT_DATA`) when it cannot be read at all.
 *
 * @internal
 */
export async function readSnapshot(fs: FsLayer, dir: string, gen: number): Promise<StoreImage> {
  let bytes: Uint8Array
  try {
    bytes = await fs.readFile(at(dir, snapName(gen)))
  } catch (err) {
    throw ioError(err, `reading ${snapName(gen)}`)
  }
  const { generation, payload } = verifySnapshot(bytes, snapName(gen))
  if (generation !== gen)
    throw new VectorStoreError(
      'CORRUPT_DATA',
      `${snapName(gen)}: header says generation ${generation}, the file name ${gen}`,
      {
        details: { file: snapName(gen) },
      },
    )
  return decodeBag(payload) as StoreImage
}
