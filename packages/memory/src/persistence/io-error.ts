import { VectorStoreError } from '@vectorkit/core'

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
