import { isVectorStoreError } from '@vectorkit/core'

/**
 * Exit codes of the `vectorkit` CLI. Scripts can branch on them.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (`health`: healthy) |
 * | 1 | unexpected error (a bug, or an error without a vectorkit code) |
 * | 2 | usage: unknown command or option, bad store URL, invalid input (`VALIDATION`) |
 * | 3 | a backend cannot be reached (`CONNECTION`, `TIMEOUT`) |
 * | 4 | data: missing collection, conflicting collection, corrupt file or checkpoint (`NOT_FOUND`, `CONFLICT`, `CORRUPT_DATA`, `DIMENSION_MISMATCH`) |
 * | 5 | `migrate` finished but its verification failed (counts differ, or overlap below `--min-overlap`) |
 * | 6 | `health`: degraded |
 * | 7 | `health`: unhealthy |
 * | 130 | interrupted (Ctrl-C); a migration can be resumed with `--resume` |
 *
 * @example
 * ```sh
 * vectorkit health postgres://db/app || echo "exit $?"
 * ```
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  unreachable: 3,
  data: 4,
  verifyFailed: 5,
  degraded: 6,
  unhealthy: 7,
  interrupted: 130,
} as const

/**
 * The exit code for an error thrown by a command.
 *
 * @example
 * ```ts
 * exitCodeOf(new VectorStoreError('CONNECTION', 'down')) // 3
 * ```
 */
export function exitCodeOf(err: unknown): number {
  if (!isVectorStoreError(err)) return EXIT.internal
  switch (err.code) {
    case 'VALIDATION':
    case 'UNSUPPORTED':
      return EXIT.usage
    case 'CONNECTION':
    case 'TIMEOUT':
      return EXIT.unreachable
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'CORRUPT_DATA':
    case 'DIMENSION_MISMATCH':
      return EXIT.data
    case 'CLOSED':
      return EXIT.interrupted
    default:
      return EXIT.internal
  }
}

/**
 * A readable, one-screen description of an error: message, code, and the chain of causes.
 *
 * @example
 * ```ts
 * process.stderr.write(`vectorkit: ${describeError(err, false)}\n`)
 * ```
 */
export function describeError(err: unknown, verbose: boolean): string {
  const lines: string[] = []
  const head = err instanceof Error ? err.message : String(err)
  lines.push(isVectorStoreError(err) ? `${head} [${err.code}]` : head)
  let cause = err instanceof Error ? err.cause : undefined
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    lines.push(`  caused by: ${cause instanceof Error ? cause.message : String(cause)}`)
    cause = cause instanceof Error ? cause.cause : undefined
  }
  if (verbose && err instanceof Error && err.stack) lines.push(err.stack)
  if (!isVectorStoreError(err) && !verbose) lines.push('  (run with --verbose for the stack trace)')
  return lines.join('\n')
}
