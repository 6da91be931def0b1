import { describe, expect, it } from 'vitest'
import {
  createKernels,
  detectSimd,
  type Kernels,
  simdSupported,
  WasmHeap,
  webAssembly,
} from '../src/kernels/index'

/** Small seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DIMS = [...Array.from({ length: 70 }, (_, i) => i + 1), 768, 1536]
const ROWS = 5
const IDS = [3, 0, 4, 4, 1, 2]

const pad = (dim: number, multiple: number): number => Math.ceil(dim / multiple) * multiple

/** Float64 reference over the float32 values actually stored. */
function refF32(q: Float32Array, row: Float32Array) {
  let dot = 0
  let dotScale = 0
  let l2 = 0
  for (let i = 0; i < q.length; i++) {
    const p = q[i]! * row[i]!
    dot += p
    dotScale += Math.abs(p)
    const d = q[i]! - row[i]!
    l2 += d * d
  }
  return { dot, dotScale, l2 }
}

function refI8(q: Int8Array, row: Int8Array) {
  let dot = 0
  let l2 = 0
  for (let i = 0; i < q.length; i++) {
    dot += q[i]! * row[i]!
    const d = q[i]! - row[i]!
    l2 += d * d
  }
  return { dot, l2 }
}

/** |got - want| within ~1e-5 of the magnitude of the summed terms (float32 accumulation). */
function expectClose(got: number, want: number, scale: number, label: string): void {
  const tolerance = 1e-5 * scale + 1e-30
  if (!(Math.abs(got - want) <= tolerance)) {
    expect.fail(`${label}: got ${got}, want ${want} (tolerance ${tolerance})`)
  }
}

const impls: [string, boolean][] = [
  ['WebAssembly SIMD', false],
  ['JS fallback', true],
]

describe.each(impls)('%s kernels', (_name, forceFallback) => {
  it(forceFallback ? 'is the fallback when forced' : 'uses SIMD on this runtime', () => {
    const heap = new WasmHeap({ forceFallback })
    expect(heap.kernels.simd).toBe(!forceFallback && simdSupported())
    if (!forceFallback) expect(simdSupported()).toBe(true) // Node >= 20 always has SIMD
  })

  it.each(DIMS)('f32 dot and l2sq, single/scan/gather agree with float64 math at dim %i', (dim) => {
    const random = rng(dim * 7919)
    const heap = new WasmHeap({ forceFallback })
    const paddedDim = pad(dim, 4)
    const rowBytes = paddedDim * 4
    const q = heap.alloc(rowBytes)
    const base = heap.alloc(rowBytes * ROWS)
    const ids = heap.alloc(IDS.length * 4)
    const out = heap.alloc(Math.max(ROWS, IDS.length) * 4)
    const f32 = heap.f32
    f32.fill(0, q >>> 2, (q + rowBytes) >>> 2)
    f32.fill(0, base >>> 2, (base + rowBytes * ROWS) >>> 2)
    const query = Float32Array.from({ length: dim }, () => random() * 2 - 1)
    f32.set(query, q >>> 2)
    const rows: Float32Array[] = []
    for (let r = 0; r < ROWS; r++) {
      const row = Float32Array.from({ length: dim }, () => random() * 2 - 1)
      rows.push(row)
      f32.set(row, (base + r * rowBytes) >>> 2)
    }
    heap.u32.set(IDS, ids >>> 2)
    const k: Kernels = heap.kernels
    const refs = rows.map((row) => refF32(query, row))

    for (let r = 0; r < ROWS; r++) {
      const ref = refs[r]!
      expectClose(k.dotF32(q, base + r * rowBytes, paddedDim), ref.dot, ref.dotScale, `dot row ${r}`)
      expectClose(k.l2sqF32(q, base + r * rowBytes, paddedDim), ref.l2, ref.l2, `l2sq row ${r}`)
    }
    k.scanDotF32(q, base, rowBytes, ROWS, out)
    for (let r = 0; r < ROWS; r++)
      expectClose(heap.f32[(out >>> 2) + r]!, refs[r]!.dot, refs[r]!.dotScale, 'scan dot')
    k.scanL2sqF32(q, base, rowBytes, ROWS, out)
    for (let r = 0; r < ROWS; r++)
      expectClose(heap.f32[(out >>> 2) + r]!, refs[r]!.l2, refs[r]!.l2, 'scan l2sq')
    k.gatherDotF32(q, base, rowBytes, ids, IDS.length, out)
    IDS.forEach((id, j) => {
      expectClose(heap.f32[(out >>> 2) + j]!, refs[id]!.dot, refs[id]!.dotScale, 'gather dot')
    })
    k.gatherL2sqF32(q, base, rowBytes, ids, IDS.length, out)
    IDS.forEach((id, j) => {
      expectClose(heap.f32[(out >>> 2) + j]!, refs[id]!.l2, refs[id]!.l2, 'gather l2sq')
    })
  })

  it.each(DIMS)('i8 dot and l2sq, single/scan/gather are exact at dim %i', (dim) => {
    const random = rng(dim * 104729)
    const heap = new WasmHeap({ forceFallback })
    const rowBytes = pad(dim, 16)
    const q = heap.alloc(rowBytes)
    const base = heap.alloc(rowBytes * ROWS)
    const ids = heap.alloc(IDS.length * 4)
    const out = heap.alloc(Math.max(ROWS, IDS.length) * 4)
    const i8 = heap.i8
    i8.fill(0, q, q + rowBytes)
    i8.fill(0, base, base + rowBytes * ROWS)
    const int8 = () => Math.floor(random() * 256) - 128
    const query = Int8Array.from({ length: dim }, int8)
    i8.set(query, q)
    const rows: Int8Array[] = []
    for (let r = 0; r < ROWS; r++) {
      // Row 0 is all -128 against a mostly -128 query: the extreme products must stay exact.
      const row = r === 0 ? new Int8Array(dim).fill(-128) : Int8Array.from({ length: dim }, int8)
      rows.push(row)
      i8.set(row, base + r * rowBytes)
    }
    heap.u32.set(IDS, ids >>> 2)
    const k = heap.kernels
    const refs = rows.map((row) => refI8(query, row))

    for (let r = 0; r < ROWS; r++) {
      expect(k.dotI8(q, base + r * rowBytes, rowBytes)).toBe(refs[r]!.dot)
      expect(k.l2sqI8(q, base + r * rowBytes, rowBytes)).toBe(refs[r]!.l2)
    }
    k.scanDotI8(q, base, rowBytes, ROWS, out)
    expect(Array.from(heap.i32.subarray(out >>> 2, (out >>> 2) + ROWS))).toEqual(refs.map((x) => x.dot))
    k.scanL2sqI8(q, base, rowBytes, ROWS, out)
    expect(Array.from(heap.i32.subarray(out >>> 2, (out >>> 2) + ROWS))).toEqual(refs.map((x) => x.l2))
    k.gatherDotI8(q, base, rowBytes, ids, IDS.length, out)
    expect(Array.from(heap.i32.subarray(out >>> 2, (out >>> 2) + IDS.length))).toEqual(
      IDS.map((i) => refs[i]!.dot),
    )
    k.gatherL2sqI8(q, base, rowBytes, ids, IDS.length, out)
    expect(Array.from(heap.i32.subarray(out >>> 2, (out >>> 2) + IDS.length))).toEqual(
      IDS.map((i) => refs[i]!.l2),
    )
  })

  it('i8 extremes stay exact at 1536 dims (-128 * -128 everywhere, 127 vs -128)', () => {
    const heap = new WasmHeap({ forceFallback })
    const a = heap.alloc(1536)
    const b = heap.alloc(1536)
    heap.i8.fill(-128, a, a + 1536)
    heap.i8.fill(-128, b, b + 1536)
    expect(heap.kernels.dotI8(a, b, 1536)).toBe(1536 * 16384)
    heap.i8.fill(127, b, b + 1536)
    expect(heap.kernels.l2sqI8(a, b, 1536)).toBe(1536 * 255 * 255)
  })

  it('scores nothing for zero rows or an empty id list', () => {
    const heap = new WasmHeap({ forceFallback })
    const p = heap.alloc(64)
    heap.f32.fill(7, p >>> 2, (p + 64) >>> 2)
    heap.kernels.scanDotF32(p, p, 16, 0, p)
    heap.kernels.gatherDotI8(p, p, 16, p, 0, p)
    expect(heap.f32[p >>> 2]).toBe(7)
  })
})

describe('SIMD detection', () => {
  it('probes with a SIMD instruction, so a runtime without SIMD gets the fallback', () => {
    const api = webAssembly()
    expect(detectSimd(api)).toBe(true)
    // A validator that knows no 0xfd-prefixed (SIMD) opcode, as on a pre-SIMD engine.
    const noSimd = (bytes: Uint8Array) => !bytes.includes(0xfd) && api.validate(bytes)
    expect(detectSimd({ validate: noSimd })).toBe(false)
    expect(
      detectSimd({
        validate: () => {
          throw new TypeError('no WebAssembly here')
        },
      }),
    ).toBe(false)
  })
})

describe('SIMD and fallback kernels on the same memory', () => {
  it('agree on a 2,000-row scan and gather (f32 within 1e-5 relative, i8 exactly)', () => {
    const heap = new WasmHeap()
    const simd = heap.kernels
    const js = createKernels({ memory: heap.memory, forceFallback: true })
    expect(js.simd).toBe(false)
    const random = rng(42)
    const dim = 100
    const n = 2000
    const q = heap.alloc(dim * 4)
    const base = heap.alloc(n * dim * 4)
    const outA = heap.alloc(n * 4)
    const outB = heap.alloc(n * 4)
    const ids = heap.alloc(n * 4)
    const f32 = heap.f32
    for (let i = 0; i < dim; i++) f32[(q >>> 2) + i] = random() - 0.5
    for (let i = 0; i < n * dim; i++) f32[(base >>> 2) + i] = random() - 0.5
    for (let j = 0; j < n; j++) heap.u32[(ids >>> 2) + j] = Math.floor(random() * n)

    const compare = (scale: number) => {
      for (let r = 0; r < n; r++) {
        const a = heap.f32[(outA >>> 2) + r]!
        const b = heap.f32[(outB >>> 2) + r]!
        expectClose(a, b, scale, `row ${r}`)
      }
    }
    simd.scanDotF32(q, base, dim * 4, n, outA)
    js.scanDotF32(q, base, dim * 4, n, outB)
    compare(dim * 0.25)
    simd.gatherL2sqF32(q, base, dim * 4, ids, n, outA)
    js.gatherL2sqF32(q, base, dim * 4, ids, n, outB)
    compare(dim)

    // Reinterpret the same bytes as int8 rows of 400 bytes.
    simd.scanDotI8(q, base, 400, n, outA)
    js.scanDotI8(q, base, 400, n, outB)
    expect(heap.i32.subarray(outA >>> 2, (outA >>> 2) + n)).toEqual(
      heap.i32.subarray(outB >>> 2, (outB >>> 2) + n),
    )
    simd.gatherL2sqI8(q, base, 400, ids, n, outA)
    js.gatherL2sqI8(q, base, 400, ids, n, outB)
    expect(heap.i32.subarray(outA >>> 2, (outA >>> 2) + n)).toEqual(
      heap.i32.subarray(outB >>> 2, (outB >>> 2) + n),
    )
  })

  it('createKernels() without options brings its own memory', () => {
    const k = createKernels()
    const f32 = new Float32Array(k.memory.buffer)
    f32.set([1, 2, 3, 0], 4)
    f32.set([4, 5, 6, 0], 8)
    expect(k.dotF32(16, 32, 4)).toBe(32)
    expect(k.l2sqF32(16, 32, 4)).toBe(27)
  })
})
