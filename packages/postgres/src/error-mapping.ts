import { type ErrorCode, isVectorStoreError, VectorStoreError } from '@vectorkit/core'

/**
 * SQLSTATE classes and codes mapped to vectorkit error codes. Anything not listed becomes
 * `INTERNAL` (with the driver error as `cause`).
 *
 * | SQLSTATE | meaning | code |
 * | --- | --- | --- |
 * | `08xxx`, `57P01`–`57P03`, `53300` | connection lost, admin shutdown, cannot connect now, too many connections | `CONNECTION` |
 * | `57014` | statement timeout / query cancelled | `TIMEOUT` |
 * | `55P03` | lock not available (lock_timeout) | `TIMEOUT` |
 * | `22xxx`, `23502`, `23514`, `2201E` | bad data (value out of range, invalid text) | `VALIDATION` |
 * | `22000` with "dimensions" in the message, or "expected N dimensions" | vector size mismatch | `DIMENSION_MISMATCH` |
 * | `42P01` | table missing (collection dropped by another process) | `NOT_FOUND` |
 * | `23505`, `40001`, `40P01` | unique violation, serialization failure, deadlock | `CONFLICT` |
 * | `53100`, `53200`, `54000` | disk full, out of memory, program limit | `RESOURCE_EXHAUSTED` |
 * | `XX001`, `XX002` | data / index corrupted | `CORRUPT_DATA` |
 *
 * Node socket errors (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `EPIPE`, ...) and pg's own
 * "Connection terminated" / "timeout exceeded when trying to connect" map to `CONNECTION` or
 * `TIMEOUT`; pg's client-side `query_timeout` ("Query read timeout") maps to `TIMEOUT`.
 *
 * @example
 * ```ts
 * try { await client.query(text) } catch (err) { throw mapPgError(err, 'search') }
 * ```
 */
export function mapPgError(err: unknown, operation: string): VectorStoreError {
  if (isVectorStoreError(err)) return err
  const code = classifyPgError(err)
  const message = err instanceof Error ? err.message : String(err)
  const sqlstate = sqlStateOf(err)
  return new VectorStoreError(code, `postgres ${operation} failed: ${message}`, {
    cause: err,
    details: sqlstate ? { sqlstate } : { operation },
  })
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
])

function sqlStateOf(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/**
 * The vectorkit error code for a driver error (see {@link mapPgError}).
 *
 * @example
 * ```ts
 * classifyPgError(Object.assign(new Error('canceling statement'), { code: '57014' })) // 'TIMEOUT'
 * ```
 */
export function classifyPgError(err: unknown): ErrorCode {
  if (isVectorStoreError(err)) return err.code
  const state = sqlStateOf(err)
  const message = err instanceof Error ? err.message : String(err)
  if (state) {
    if (state === '57014' || state === '55P03') return 'TIMEOUT'
    if (state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03')
      return 'CONNECTION'
    if (state === '53300') return 'CONNECTION'
    if (state === '42P01') return 'NOT_FOUND'
    if (state === '23505' || state === '40001' || state === '40P01') return 'CONFLICT'
    if (state === '53100' || state === '53200' || state === '54000') return 'RESOURCE_EXHAUSTED'
    if (state === 'XX001' || state === 'XX002') return 'CORRUPT_DATA'
    if (state.startsWith('22') || state === '23502' || state === '23514') {
      return /dimensions/i.test(message) ? 'DIMENSION_MISMATCH' : 'VALIDATION'
    }
    return 'INTERNAL'
  }
  const errno = (err as { code?: unknown } | null)?.code
  if (errno === 'ETIMEDOUT') return 'TIMEOUT'
  if (typeof errno === 'string' && SOCKET_CODES.has(errno)) return 'CONNECTION'
  if (
    /Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(
      message,
    )
  )
    return 'TIMEOUT'
  if (
    /Connection terminated|Client has encountered a connection error|not queryable|Cannot use a pool after calling end|ECONNREFUSED|ECONNRESET|socket hang up/i.test(
      message,
    )
  )
    return 'CONNECTION'
  return 'INTERNAL'
}

/**
 * True when a driver error means the connection it happened on must not be reused (broken
 * socket, client-side timeout while the server may still be running the query, admin kill).
 *
 * @example
 * ```ts
 * client.release(isConnectionPoisoned(err) ? (err as Error) : undefined)
 * ```
 */
export function isConnectionPoisoned(err: unknown): boolean {
  const code = classifyPgError(err)
  if (code === 'CONNECTION') return true
  // A server-side statement_timeout (57014) leaves the session healthy; a client-side read
  // timeout does not: the server may still answer the abandoned query on that socket.
  return code === 'TIMEOUT' && sqlStateOf(err) === undefined
}
