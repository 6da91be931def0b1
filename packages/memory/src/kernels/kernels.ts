import { createFallbackKernels } from './js-fallback'
import { KERNELS_WASM_BASE64 } from './kernels.generated'
import { hasWebAssembly, type WasmApi, type WasmMemory, type WasmModule, webAssembly } from './wasm-api'

/**
 * Distance kernels over one `WebAssembly.Memory`. Every argument named like a pointer (`a`,
 * `b`, `q`, `base`, `ids`, `out`) is a byte offset into {@link Kernels.memory}, 16-byte aligned.
 *
 * Row layout: an f32 row is `paddedDim` floats with `paddedDim % 4 === 0`; an i8 row is
 * `paddedDim` bytes with `paddedDim % 16 === 0`; padding lanes are zero. `rowBytes` is the
 * distance between consecutive rows (`paddedDim * 4` for f32, `paddedDim` for i8).
 * Scores: f32 kernels produce float32 values, i8 kernels exact int32 values.
 *
 * The SIMD implementation calls straight into WebAssembly; the fallback
 * ({@link CreateKernelsOptions.forceFallback}) is plain JS with the same results up to
 * float rounding (exact for i8).
 *
 * @example
 * ```ts
 * const k = createKernels()
 * const f32 = new Float32Array(k.memory.buffer)
 * f32.set([1, 2, 3, 0], 4) // a at byte 16 (dim 3 padded to 4)
 * f32.set([4, 5, 6, 0], 8) // b at byte 32
 * k.dotF32(16, 32, 4) // 32
 * ```
 */
export interface Kernels {
  /** True when these kernels run as WebAssembly SIMD, false for the JS fallback. */
  readonly simd: boolean
  /** The memory every pointer refers to. */
  readonly memory: WasmMemory
  /** `sum(a[i] * b[i])` over `paddedDim` floats. */
  dotF32(a: number, b: number, paddedDim: number): number
  /** Squared Euclidean distance `sum((a[i] - b[i])^2)` over `paddedDim` floats. */
  l2sqF32(a: number, b: number, paddedDim: number): number
  /** Exact `sum(a[i] * b[i])` over `paddedDim` signed bytes (exact below 131,072 dims). */
  dotI8(a: number, b: number, paddedDim: number): number
  /** Exact squared distance over `paddedDim` signed bytes (exact up to 33,025 dims). */
  l2sqI8(a: number, b: number, paddedDim: number): number
  /** Writes `dot(q, row i)` for the `n` contiguous rows at `base` to float32 `out[i]`. */
  scanDotF32(q: number, base: number, rowBytes: number, n: number, out: number): void
  /** Writes `l2sq(q, row i)` for the `n` contiguous rows at `base` to float32 `out[i]`. */
  scanL2sqF32(q: number, base: number, rowBytes: number, n: number, out: number): void
  /** Writes `dot(q, row i)` for the `n` contiguous int8 rows at `base` to int32 `out[i]`. */
  scanDotI8(q: number, base: number, rowBytes: number, n: number, out: number): void
  /** Writes `l2sq(q, row i)` for the `n` contiguous int8 rows at `base` to int32 `out[i]`. */
  scanL2sqI8(q: number, base: number, rowBytes: number, n: number, out: number): void
  /** For `j < count`: float32 `out[j] = dot(q, row ids[j])`, `ids` being u32 row indices. */
  gatherDotF32(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  /** For `j < count`: float32 `out[j] = l2sq(q, row ids[j])`. */
  gatherL2sqF32(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  /** For `j < count`: int32 `out[j] = dot(q, int8 row ids[j])`. */
  gatherDotI8(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  /** For `j < count`: int32 `out[j] = l2sq(q, int8 row ids[j])`. */
  gatherL2sqI8(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
}

/**
 * Options of {@link createKernels}.
 *
 * @example
 * ```ts
 * const k = createKernels({ memory: new WebAssembly.Memory({ initial: 16 }), forceFallback: true })
 * ```
 */
export interface CreateKernelsOptions {
  /** Memory to operate on; default: a new 1-page (64 KiB) memory without maximum. */
  memory?: WasmMemory
  /** Use the plain-JS kernels even where WebAssembly SIMD is available (tests, debugging). */
  forceFallback?: boolean
}

// (module (func (result v128) (i32x4.splat (i32.const 0)))): valid only where SIMD is.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01,
  0x00, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b,
])

let simdCache: boolean | undefined
let compiled: WasmModule | undefined

/**
 * Whether this runtime validates WebAssembly SIMD (fixed-width, 128-bit). Cached after the
 * first call.
 *
 * @example
 * ```ts
 * if (!simdSupported()) console.warn('vectorkit: no WebAssembly SIMD, using JS kernels')
 * ```
 */
export function simdSupported(): boolean {
  simdCache ??= hasWebAssembly() && detectSimd(webAssembly())
  return simdCache
}

/**
 * The uncached check behind {@link simdSupported}: does `api` validate a module made of one
 * SIMD instruction? Exposed so tests can run it against a runtime without SIMD.
 *
 * @example
 * ```ts
 * detectSimd({ ...api, validate: () => false }) // false
 * ```
 */
export function detectSimd(api: Pick<WasmApi, 'validate'>): boolean {
  try {
    return api.validate(SIMD_PROBE)
  } catch {
    return false
  }
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** The compiled kernels module, compiled synchronously once per process (about 2 KB). */
function kernelsModule(): WasmModule {
  compiled ??= new (webAssembly().Module)(decodeBase64(KERNELS_WASM_BASE64))
  return compiled
}

interface KernelExports {
  dot_f32(a: number, b: number, n: number): number
  l2sq_f32(a: number, b: number, n: number): number
  dot_i8(a: number, b: number, n: number): number
  l2sq_i8(a: number, b: number, n: number): number
  scan_dot_f32(q: number, base: number, rowBytes: number, n: number, out: number): void
  scan_l2sq_f32(q: number, base: number, rowBytes: number, n: number, out: number): void
  scan_dot_i8(q: number, base: number, rowBytes: number, n: number, out: number): void
  scan_l2sq_i8(q: number, base: number, rowBytes: number, n: number, out: number): void
  gather_dot_f32(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  gather_l2sq_f32(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  gather_dot_i8(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
  gather_l2sq_i8(q: number, base: number, rowBytes: number, ids: number, count: number, out: number): void
}

/**
 * Creates kernels bound to one memory: WebAssembly SIMD when {@link simdSupported}, else (or
 * with `forceFallback`) the plain-JS implementation. Synchronous: no top-level await, so the
 * package stays `require()`-able from CommonJS.
 *
 * Most code should not call this directly: a {@link WasmHeap} owns a memory, an allocator and
 * its kernels (`heap.kernels`).
 *
 * @example
 * ```ts
 * const k = createKernels({ forceFallback: !simdSupported() })
 * k.scanDotF32(qPtr, basePtr, rowBytes, rows, outPtr)
 * ```
 */
export function createKernels(options: CreateKernelsOptions = {}): Kernels {
  const memory = options.memory ?? new (webAssembly().Memory)({ initial: 1 })
  if (options.forceFallback || !simdSupported()) return createFallbackKernels(memory)
  const e = new (webAssembly().Instance)(kernelsModule(), { env: { memory } })
    .exports as unknown as KernelExports
  return {
    simd: true,
    memory,
    dotF32: e.dot_f32,
    l2sqF32: e.l2sq_f32,
    dotI8: e.dot_i8,
    l2sqI8: e.l2sq_i8,
    scanDotF32: e.scan_dot_f32,
    scanL2sqF32: e.scan_l2sq_f32,
    scanDotI8: e.scan_dot_i8,
    scanL2sqI8: e.scan_l2sq_i8,
    gatherDotF32: e.gather_dot_f32,
    gatherL2sqF32: e.gather_l2sq_f32,
    gatherDotI8: e.gather_dot_i8,
    gatherL2sqI8: e.gather_l2sq_i8,
  }
}
