/**
 * The string codes every {@link VectorStoreError} carries. Match on `code`, never on messages.
 *
 * | code | meaning |
 * | --- | --- |
 * | `VALIDATION` | bad input: names, ids, metadata, filters, options. Nothing was written. |
 * | `DIMENSION_MISMATCH` | a vector's length differs from the collection's dimensions. Nothing was written. |
 * | `NOT_FOUND` | the collection does not exist. |
 * | `CONFLICT` | the collection exists with a different spec, or a resource is held by someone else. |
 * | `CONNECTION` | the backend cannot be reached (network, server down, pool closed under us). |
 * | `TIMEOUT` | an operation or connection attempt ran past its deadline. |
 * | `CLOSED` | the store was closed; create a new one. |
 * | `CORRUPT_DATA` | persisted data failed its checksum or could not be parsed. |
 * | `RESOURCE_EXHAUSTED` | a hard limit was reached (memory, disk, WebAssembly's 4 GiB). |
 * | `UNSUPPORTED` | the request needs a capability this backend declares absent. |
 * | `INTERNAL` | a bug or an unexpected driver error; `cause` holds the original. |
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'DIMENSION_MISMATCH'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CONNECTION'
  | 'TIMEOUT'
  | 'CLOSED'
  | 'CORRUPT_DATA'
  | 'RESOURCE_EXHAUSTED'
  | 'UNSUPPORTED'
  | 'INTERNAL'

/** Every error code, in a stable order (handy for metrics labels). */
export const ERROR_CODES: readonly ErrorCode[] = [
  'VALIDATION',
  'DIMENSION_MISMATCH',
  'NOT_FOUND',
  'CONFLICT',
  'CONNECTION',
  'TIMEOUT',
  'CLOSED',
  'CORRUPT_DATA',
  'RESOURCE_EXHAUSTED',
  'UNSUPPORTED',
  'INTERNAL',
]

/** Options of {@link VectorStoreError}. */
export interface VectorStoreErrorOptions {
  /** The underlying error (driver, file system, ...). Kept as the native `Error.cause`. */
  cause?: unknown
  /** Structured facts about the failure, e.g. `{ path: 'metadata.tags[2]' }`. */
  details?: Record<string, unknown>
}

/**
 * The one error class of vectorkit. Driver and file-system errors are wrapped with `cause`,
 * never swallowed.
 *
 * @example
 * ```ts
 * try {
 *   await store.collection('missing')
 * } catch (err) {
 *   if (isVectorStoreError(err, 'NOT_FOUND')) console.log(err.message)
 * }
 * ```
 */
export class VectorStoreError extends Error {
  override readonly name = 'VectorStoreError'
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: VectorStoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.details = options.details
  }
}

/**
 * True when `err` is a {@link VectorStoreError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isVectorStoreError(err, 'CONNECTION')) retryLater()
 * ```
 */
export function isVectorStoreError(err: unknown, code?: ErrorCode): err is VectorStoreError {
  return err instanceof VectorStoreError && (code === undefined || err.code === code)
}

/** Shorthand for a `VALIDATION` error. */
export function validationError(message: string, details?: Record<string, unknown>): VectorStoreError {
  return new VectorStoreError('VALIDATION', message, details ? { details } : {})
}
