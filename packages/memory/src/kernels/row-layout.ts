import type { Kernels } from './kernels'

/** Element type of stored rows: float32, or int8 (already quantized by the caller). */
export type VectorKind = 'f32' | 'i8'
/** What a kernel computes: dot product, or squared Euclidean distance. */
export type SlabMetric = 'dot' | 'l2sq'
/** Kernel results: float32 for f32 rows, exact int32 for i8 rows. */
export type ScoreArray = Float32Array | Int32Array

/** Largest int8 dimension for which every int8 kernel is exact in int32 (l2sq: n * 255^2 < 2^31). */
export const MAX_I8_DIM = 32_768
/** Largest float32 dimension accepted (a row must stay far below one heap). */
export const MAX_F32_DIM = 2 ** 26

/**
 * How one vector is laid out for the kernels (the contract stated at the top of
 * kernels.wat): f32 rows padded to a multiple of 4 floats, i8 rows to a multiple of 16 bytes,
 * so every row is a whole number of 16-byte SIMD vectors.
 *
 * @example
 * ```ts
 * rowLayout(5, 'f32') // { paddedDim: 8, rowBytes: 32 }
 * rowLayout(5, 'i8') // { paddedDim: 16, rowBytes: 16 }
 * ```
 */
export interface RowLayout {
  /** `dim` rounded up to a multiple of 4 (f32) or 16 (i8); the kernels' `paddedDim`. */
  readonly paddedDim: number
  /** Bytes per row: `paddedDim * 4` (f32) or `paddedDim` (i8). */
  readonly rowBytes: number
}

/**
 * The {@link RowLayout} of `dim`-dimensional `kind` vectors; RangeError for bad input.
 *
 * @example
 * ```ts
 * const { paddedDim, rowBytes } = rowLayout(768, 'i8') // 768, 768
 * ```
 */
export function rowLayout(dim: number, kind: VectorKind): RowLayout {
  if (kind !== 'f32' && kind !== 'i8') throw new RangeError(`kind must be 'f32' or 'i8', got ${String(kind)}`)
  const maxDim = kind === 'i8' ? MAX_I8_DIM : MAX_F32_DIM
  if (!Number.isInteger(dim) || dim < 1 || dim > maxDim) {
    throw new RangeError(`dim must be an integer from 1 to ${maxDim} for ${kind}, got ${dim}`)
  }
  if (kind === 'f32') {
    const paddedDim = Math.ceil(dim / 4) * 4
    return { paddedDim, rowBytes: paddedDim * 4 }
  }
  const paddedDim = Math.ceil(dim / 16) * 16
  return { paddedDim, rowBytes: paddedDim }
}

/**
 * The {@link Kernels} method names serving each element type and metric, as a single call
 * (`one`), a contiguous scan or an id gather.
 *
 * @example
 * ```ts
 * heap.kernels[KERNEL_NAMES.i8.dot.scan](q, base, rowBytes, n, out)
 * ```
 */
export const KERNEL_NAMES = {
  f32: {
    dot: { one: 'dotF32', scan: 'scanDotF32', gather: 'gatherDotF32' },
    l2sq: { one: 'l2sqF32', scan: 'scanL2sqF32', gather: 'gatherL2sqF32' },
  },
  i8: {
    dot: { one: 'dotI8', scan: 'scanDotI8', gather: 'gatherDotI8' },
    l2sq: { one: 'l2sqI8', scan: 'scanL2sqI8', gather: 'gatherL2sqI8' },
  },
} as const satisfies Record<VectorKind, Record<SlabMetric, Record<'one' | 'scan' | 'gather', keyof Kernels>>>
