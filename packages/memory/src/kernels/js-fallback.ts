import type { Kernels } from './kernels'
import type { WasmMemory } from './wasm-api'

/**
 * Plain-JS kernels with the same contract as the WebAssembly ones, for runtimes without
 * WebAssembly SIMD. They read the same memory through typed-array views that are re-created
 * whenever the memory has grown (growth detaches the old `ArrayBuffer`).
 *
 * Float sums are accumulated in float64 and rounded to float32, so results can differ from
 * the SIMD kernels in the last bits; int8 results are identical.
 *
 * @example
 * ```ts
 * const k = createFallbackKernels(new WebAssembly.Memory({ initial: 1 }))
 * k.dotF32(0, 64, 4)
 * ```
 */
export function createFallbackKernels(memory: WasmMemory): Kernels {
  let buffer: ArrayBuffer | undefined
  let f32 = new Float32Array(0)
  let i8 = new Int8Array(0)
  let i32 = new Int32Array(0)
  let u32 = new Uint32Array(0)

  // Called once per public call, never inside the per-row loops.
  const sync = (): void => {
    const current = memory.buffer
    if (current === buffer) return
    buffer = current
    f32 = new Float32Array(current)
    i8 = new Int8Array(current)
    i32 = new Int32Array(current)
    u32 = new Uint32Array(current)
  }

  // Pointers may exceed 2^31 in a 4 GiB memory: use >>> (unsigned), never >>.
  const dotF32 = (a: number, b: number, n: number): number => {
    const ia = a >>> 2
    const ib = b >>> 2
    let s = 0
    for (let i = 0; i < n; i++) s += f32[ia + i]! * f32[ib + i]!
    return Math.fround(s)
  }
  const l2sqF32 = (a: number, b: number, n: number): number => {
    const ia = a >>> 2
    const ib = b >>> 2
    let s = 0
    for (let i = 0; i < n; i++) {
      const d = f32[ia + i]! - f32[ib + i]!
      s += d * d
    }
    return Math.fround(s)
  }
  const dotI8 = (a: number, b: number, n: number): number => {
    let s = 0
    for (let i = 0; i < n; i++) s += i8[a + i]! * i8[b + i]!
    return s | 0
  }
  const l2sqI8 = (a: number, b: number, n: number): number => {
    let s = 0
    for (let i = 0; i < n; i++) {
      const d = i8[a + i]! - i8[b + i]!
      s += d * d
    }
    return s | 0
  }

  type Pair = (a: number, b: number, n: number) => number
  const scanF32 = (fn: Pair) => (q: number, base: number, rowBytes: number, n: number, out: number) => {
    sync()
    const dim = rowBytes >>> 2
    const o = out >>> 2
    for (let r = 0; r < n; r++) f32[o + r] = fn(q, base + r * rowBytes, dim)
  }
  const scanI8 = (fn: Pair) => (q: number, base: number, rowBytes: number, n: number, out: number) => {
    sync()
    const o = out >>> 2
    for (let r = 0; r < n; r++) i32[o + r] = fn(q, base + r * rowBytes, rowBytes)
  }
  const gatherF32 =
    (fn: Pair) => (q: number, base: number, rowBytes: number, ids: number, count: number, out: number) => {
      sync()
      const dim = rowBytes >>> 2
      const o = out >>> 2
      const idx = ids >>> 2
      for (let j = 0; j < count; j++) f32[o + j] = fn(q, base + u32[idx + j]! * rowBytes, dim)
    }
  const gatherI8 =
    (fn: Pair) => (q: number, base: number, rowBytes: number, ids: number, count: number, out: number) => {
      sync()
      const o = out >>> 2
      const idx = ids >>> 2
      for (let j = 0; j < count; j++) i32[o + j] = fn(q, base + u32[idx + j]! * rowBytes, rowBytes)
    }
  const single = (fn: Pair) => (a: number, b: number, n: number) => {
    sync()
    return fn(a, b, n)
  }

  return {
    simd: false,
    memory,
    dotF32: single(dotF32),
    l2sqF32: single(l2sqF32),
    dotI8: single(dotI8),
    l2sqI8: single(l2sqI8),
    scanDotF32: scanF32(dotF32),
    scanL2sqF32: scanF32(l2sqF32),
    scanDotI8: scanI8(dotI8),
    scanL2sqI8: scanI8(l2sqI8),
    gatherDotF32: gatherF32(dotF32),
    gatherL2sqF32: gatherF32(l2sqF32),
    gatherDotI8: gatherI8(dotI8),
    gatherL2sqI8: gatherI8(l2sqI8),
  }
}
