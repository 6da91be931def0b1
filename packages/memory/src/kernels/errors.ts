import { VectorStoreError } from '@vectorkit/core'

const GIB = 1024 ** 3

/**
 * Exact byte count first, readable size second, for error messages.
 *
 * @example
 * ```ts
 * formatBytes(12345678) // '12345678 bytes (11.77 MiB)'
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'] as const
  let value = bytes
  let unit = 'bytes'
  for (const u of units) {
    if (value < 1024) break
    value /= 1024
    unit = u
  }
  return unit === 'bytes' ? `${bytes} bytes` : `${bytes} bytes (${value.toFixed(2)} ${unit})`
}

/** The error for a block that no WebAssembly heap can hold, with the numbers that matter. */
export function blockTooLarge(
  requestedBytes: number,
  maxBlockBytes: number,
  what = 'block',
): VectorStoreError {
  return new VectorStoreError(
    'RESOURCE_EXHAUSTED',
    `cannot allocate a ${what} of ${formatBytes(requestedBytes)}: one WebAssembly heap holds at most ` +
      `${formatBytes(maxBlockBytes)} in one block (a wasm32 memory is limited to 65536 pages of 64 KiB = ` +
      `${4 * GIB} bytes). Split the data over more collections or store it as int8.`,
    { details: { requestedBytes, maxBlockBytes } },
  )
}

/** The error for a memory that cannot grow although its declared maximum allows it. */
export function growFailed(currentBytes: number, requestedBytes: number, cause: unknown): VectorStoreError {
  return new VectorStoreError(
    'RESOURCE_EXHAUSTED',
    `WebAssembly memory could not grow from ${formatBytes(currentBytes)} to ${formatBytes(requestedBytes)} ` +
      '(the system refused the memory)',
    { cause, details: { currentBytes, requestedBytes } },
  )
}
