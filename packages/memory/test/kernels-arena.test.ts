import { isVectorStoreError } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import {
  FreeList,
  HeapPool,
  KEEP_WARM_BYTES,
  MAX_HEAP_BYTES,
  VectorSlab,
  WASM_PAGE_BYTES,
  WasmHeap,
} from '../src/kernels/index'

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

const vec = (dim: number, seed: number): number[] => Array.from({ length: dim }, (_, i) => seed * 1000 + i)

function expectExhausted(fn: () => unknown, ...fragments: string[]): void {
  try {
    fn()
  } catch (err) {
    expect(isVectorStoreError(err, 'RESOURCE_EXHAUSTED'), String(err)).toBe(true)
    for (const f of fragments) expect((err as Error).message).toContain(f)
    return
  }
  expect.fail('expected a RESOURCE_EXHAUSTED error')
}

describe('FreeList', () => {
  it('coalesces neighbours on both sides and reports totals', () => {
    const free = new FreeList()
    free.add(0, 16)
    free.add(32, 16)
    expect(free.ranges).toBe(2)
    free.add(16, 16)
    expect(free.ranges).toBe(1)
    expect(free.total).toBe(48)
    expect(free.take(48)).toBe(0)
    expect(free.ranges).toBe(0)
  })

  it('is first-fit, splits ranges, extends in place, and rejects double frees', () => {
    const free = new FreeList()
    free.add(100, 50)
    free.add(300, 500)
    expect(free.take(60)).toBe(300)
    expect(free.take(40)).toBe(100)
    expect(free.sizeStartingAt(140)).toBe(10)
    expect(free.takeAt(140, 10)).toBe(true)
    expect(free.takeAt(360, 1000)).toBe(false)
    expect(free.sizeEndingAt(800)).toBe(440)
    expect(() => free.add(400, 16)).toThrow(/double free/)
  })
})

describe('WasmHeap', () => {
  it('hands out 16-byte-aligned, non-null, non-overlapping blocks and reuses freed ones', () => {
    const heap = new WasmHeap()
    const a = heap.alloc(1)
    const b = heap.alloc(100)
    const c = heap.alloc(33)
    for (const p of [a, b, c]) {
      expect(p % 16).toBe(0)
      expect(p).toBeGreaterThan(0)
    }
    expect(heap.sizeOf(a)).toBe(16)
    expect(heap.sizeOf(b)).toBe(112)
    expect(b).toBeGreaterThanOrEqual(a + 16)
    expect(c).toBeGreaterThanOrEqual(b + 112)
    heap.free(b)
    expect(heap.alloc(112)).toBe(b)
    expect(() => heap.free(b + 16)).toThrow(/not a live block/)
  })

  it('grows the memory, keeps the data, and refreshes its views after memory.grow', () => {
    const heap = new WasmHeap({ initialBytes: WASM_PAGE_BYTES })
    const p = heap.alloc(1024)
    const before = heap.f32
    before.set([1.5, 2.5, 3.5], p >>> 2)
    const big = heap.alloc(10 * WASM_PAGE_BYTES)
    expect(heap.byteLength).toBeGreaterThanOrEqual(11 * WASM_PAGE_BYTES)
    expect(before.length).toBe(0) // the old buffer was detached by memory.grow
    expect(Array.from(heap.f32.subarray(p >>> 2, (p >>> 2) + 3))).toEqual([1.5, 2.5, 3.5])
    expect(heap.f32.length * 4).toBe(heap.byteLength)
    heap.f32[(big + 10 * WASM_PAGE_BYTES - 4) >>> 2] = 9
    expect(heap.f32[(big + 10 * WASM_PAGE_BYTES - 4) >>> 2]).toBe(9)
  })

  it('returns to one free range when everything is freed (random alloc/free)', () => {
    const heap = new WasmHeap({ initialBytes: WASM_PAGE_BYTES })
    const random = rng(7)
    const live = new Map<number, number>()
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && random() < 0.45) {
        const keys = [...live.keys()]
        const p = keys[Math.floor(random() * keys.length)]!
        heap.free(p)
        live.delete(p)
      } else {
        const size = 1 + Math.floor(random() * 5000)
        const p = heap.alloc(size)
        expect(p % 16).toBe(0)
        live.set(p, heap.sizeOf(p)!)
      }
    }
    const sorted = [...live].sort((x, y) => x[0] - y[0])
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1])
    expect(heap.allocatedBytes).toBe(sorted.reduce((s, [, n]) => s + n, 0))
    for (const p of live.keys()) heap.free(p)
    expect(heap.blockCount).toBe(0)
    expect(heap.freeBytes).toBe(heap.byteLength - 16)
  })

  it('resizes in place into following free space and at the end of memory', () => {
    const heap = new WasmHeap({ initialBytes: WASM_PAGE_BYTES })
    const a = heap.alloc(64)
    expect(heap.tryResize(a, 1024)).toBe(true)
    expect(heap.sizeOf(a)).toBe(1024)
    expect(heap.tryResize(a, 4 * WASM_PAGE_BYTES)).toBe(true) // last block: memory grows under it
    const b = heap.alloc(64)
    expect(heap.tryResize(a, 5 * WASM_PAGE_BYTES)).toBe(false) // b is in the way
    expect(heap.tryResize(a, 512)).toBe(true)
    expect(heap.alloc(1024)).toBe(a + 512) // the released tail is reusable
    heap.free(b)
  })

  it('declares 4 GiB as the largest heap and refuses larger blocks with the numbers', () => {
    expect(MAX_HEAP_BYTES).toBe(4 * 1024 ** 3)
    expect(() => new WasmHeap({ maxBytes: MAX_HEAP_BYTES + WASM_PAGE_BYTES })).toThrow(RangeError)
    const heap = new WasmHeap({ maxBytes: 1024 * 1024 })
    expect(heap.tryAlloc(2 * 1024 * 1024)).toBeUndefined()
    expectExhausted(() => heap.alloc(2 * 1024 * 1024), '2097152 bytes', '1048560 bytes')
  })
})

describe('HeapPool', () => {
  it('fills one heap before opening another, and drops heaps that become empty', () => {
    const pool = new HeapPool({ maxHeapBytes: 1024 * 1024, initialHeapBytes: WASM_PAGE_BYTES })
    const blocks = [pool.alloc(400_000), pool.alloc(400_000), pool.alloc(400_000)]
    expect(pool.heaps.length).toBe(2)
    expect(blocks[0]!.heap).toBe(blocks[1]!.heap)
    expect(blocks[2]!.heap).not.toBe(blocks[0]!.heap)
    pool.free(blocks[2]!)
    expect(pool.heaps.length).toBe(1)
    pool.free(blocks[0]!)
    pool.free(blocks[1]!)
    expect(pool.heaps.length).toBe(1) // a small last heap stays warm
    expect(pool.usage()).toEqual({ heaps: 1, reservedBytes: pool.heaps[0]!.byteLength, allocatedBytes: 0 })
  })

  it('lets a big heap go once it is empty, even the last one', () => {
    const pool = new HeapPool({ initialHeapBytes: WASM_PAGE_BYTES })
    const block = pool.alloc(KEEP_WARM_BYTES + 1)
    expect(pool.usage().allocatedBytes).toBe(KEEP_WARM_BYTES + 16)
    pool.free(block)
    expect(pool.heaps.length).toBe(0)
    expect(pool.alloc(16).heap.byteLength).toBe(WASM_PAGE_BYTES) // a fresh, small heap
  })

  it('throws RESOURCE_EXHAUSTED with the sizes for a block no heap can hold', () => {
    const pool = new HeapPool()
    expectExhausted(() => pool.alloc(5 * 1024 ** 3), '5368709120 bytes', '4294967280 bytes', '65536 pages')
    expect(pool.heaps.length).toBe(0)
    expectExhausted(() => new VectorSlab({ dim: 1536, initialCapacity: 1_000_000, pool }), '6144000000 bytes')
  })
})

describe.each([
  ['SIMD', false],
  ['fallback', true],
])('VectorSlab (%s kernels)', (_name, forceFallback) => {
  const smallPool = () => new HeapPool({ forceFallback, initialHeapBytes: WASM_PAGE_BYTES })

  it('pads rows, aligns them and zero-fills the padding', () => {
    const slab = new VectorSlab({ dim: 5, pool: smallPool() })
    expect([slab.paddedDim, slab.rowBytes, slab.kind]).toEqual([8, 32, 'f32'])
    slab.heap.f32.fill(Number.NaN) // garbage where the rows will go
    slab.append([1, 2, 3, 4, 5])
    slab.write(2, [6, 7, 8, 9, 10])
    expect(slab.size).toBe(3)
    expect(slab.ptr(1) % 16).toBe(0)
    expect(Array.from(slab.heap.f32.subarray(slab.ptr(0) >>> 2, (slab.ptr(0) >>> 2) + 8))).toEqual([
      1, 2, 3, 4, 5, 0, 0, 0,
    ])
    expect(Array.from(slab.read(1))).toEqual([0, 0, 0, 0, 0]) // skipped row is zero
    const i8 = new VectorSlab({ dim: 17, kind: 'i8', pool: smallPool() })
    expect([i8.paddedDim, i8.rowBytes]).toEqual([32, 32])
    i8.append(Array.from({ length: 17 }, (_, i) => i - 8))
    expect(Array.from(i8.read(0))).toEqual(Array.from({ length: 17 }, (_, i) => i - 8))
  })

  it('grows geometrically and keeps every row; read returns copies', () => {
    const slab = new VectorSlab({ dim: 3, initialCapacity: 1, pool: smallPool() })
    const capacities = new Set<number>()
    for (let r = 0; r < 5000; r++) {
      slab.append(vec(3, r))
      capacities.add(slab.capacity)
    }
    expect(capacities.size).toBeLessThan(20)
    for (let r = 0; r < 5000; r++) expect(Array.from(slab.read(r))).toEqual(vec(3, r))
    const copy = slab.read(0)
    copy[0] = -1
    expect(slab.read(0)[0]).toBe(0)
  })

  it('moves to another heap when its heap is full, data intact', () => {
    const pool = new HeapPool({ forceFallback, maxHeapBytes: 1024 * 1024, initialHeapBytes: WASM_PAGE_BYTES })
    const slab = new VectorSlab({ dim: 16, initialCapacity: 4000, pool }) // 256,000 bytes
    pool.alloc(600_000) // leaves no room to double in place
    const firstHeap = slab.heap
    for (let r = 0; r < 8000; r++) slab.append(vec(16, r))
    expect(slab.heap).not.toBe(firstHeap)
    expect(pool.heaps.length).toBe(2)
    for (let r = 0; r < 8000; r += 97) expect(Array.from(slab.read(r))).toEqual(vec(16, r))
    const q = slab.loadQuery(vec(16, 5))
    expect(slab.score('l2sq', q, 5)).toBe(0)
  })

  it('scans, gathers and scores through the heap scratch', () => {
    const slab = new VectorSlab({ dim: 3, pool: smallPool() })
    slab.append([1, 0, 0])
    slab.append([0, 1, 0])
    slab.append([1, 2, 3])
    const q = slab.loadQuery([1, 2, 3])
    expect(Array.from(slab.scan('dot', q))).toEqual([1, 2, 14])
    expect(Array.from(slab.scan('l2sq', q, 1, 2))).toEqual([11, 0])
    expect(Array.from(slab.gather('dot', q, new Uint32Array([2, 0, 2]), 2))).toEqual([14, 1])
    expect(slab.score('dot', q, 2)).toBe(14)
    expect(() => slab.gather('dot', q, [3])).toThrow(RangeError)
    expect(() => slab.scan('dot', q, 2, 5)).toThrow(RangeError)

    const i8 = new VectorSlab({ dim: 2, kind: 'i8', pool: slab.pool })
    i8.append([-128, 127])
    i8.append([3, -4])
    const qi = i8.loadQuery([-128, -128])
    expect(Array.from(i8.scan('dot', qi))).toEqual([16384 - 16256, -384 + 512])
    expect(Array.from(i8.gather('l2sq', qi, [1]))).toEqual([131 * 131 + 124 * 124])
  })

  it('copies rows, truncates and releases', () => {
    const pool = smallPool()
    const slab = new VectorSlab({ dim: 4, pool })
    for (let r = 0; r < 10; r++) slab.append(vec(4, r))
    slab.copyRow(9, 2)
    slab.truncate(9)
    expect(Array.from(slab.read(2))).toEqual(vec(4, 9))
    expect(() => slab.read(9)).toThrow(RangeError)
    expect(() => slab.write(0, [1, 2, 3])).toThrow(/expected 4 values/)
    const heap = slab.heap
    const blocksBefore = heap.blockCount
    slab.release()
    slab.release()
    expect(slab.released).toBe(true)
    expect(heap.blockCount).toBe(blocksBefore - 1)
    expect(() => slab.append(vec(4, 0))).toThrow(/after release/)
  })

  it('rejects bad dimensions', () => {
    expect(() => new VectorSlab({ dim: 0 })).toThrow(RangeError)
    expect(() => new VectorSlab({ dim: 1.5 })).toThrow(RangeError)
    expect(() => new VectorSlab({ dim: 40_000, kind: 'i8' })).toThrow(/32768/)
  })
})

describe.each([
  ['SIMD', false],
  ['fallback', true],
])('addresses above 2 GiB (%s kernels)', (_name, forceFallback) => {
  it('scores rows in the last bytes of a full 4 GiB heap (pointers past 2^31, block ending at 2^32)', () => {
    // Only the touched pages become resident; the rest is address space.
    const heap = new WasmHeap({ forceFallback })
    heap.alloc(MAX_HEAP_BYTES - 16 - 3 * 64)
    const [ids, a, b] = [heap.alloc(64), heap.alloc(64), heap.alloc(64)]
    expect(heap.byteLength).toBe(MAX_HEAP_BYTES)
    expect(b + 64).toBe(2 ** 32)
    expect(ids).toBeGreaterThan(2 ** 31)
    const f32 = heap.f32
    // (b + 64) >>> 2 would wrap to 0: index arithmetic goes (ptr >>> 2) + n.
    f32.fill(1, a >>> 2, (a >>> 2) + 16)
    f32.fill(2, b >>> 2, (b >>> 2) + 16)
    heap.u32.set([1, 0], ids >>> 2)
    const k = heap.kernels
    expect(k.dotF32(a, b, 16)).toBe(32)
    expect(k.l2sqF32(b, a, 16)).toBe(16)
    expect(k.dotI8(a, b, 64)).toBe(16 * 63 * 64) // 1.0f = 00 00 80 3f, 2.0f = 00 00 00 40
    // Scan both rows, writing the scores over the id list (a is free scratch now).
    k.scanDotF32(a, a, 64, 2, ids)
    expect(Array.from(heap.f32.subarray(ids >>> 2, (ids >>> 2) + 2))).toEqual([16, 32])
    heap.u32.set([1, 0], ids >>> 2)
    k.gatherL2sqF32(a, a, 64, ids, 2, ids)
    expect(Array.from(heap.f32.subarray(ids >>> 2, (ids >>> 2) + 2))).toEqual([16, 0])
    expect(() => heap.alloc(16)).toThrow(/RESOURCE_EXHAUSTED|cannot allocate/)
  })
})

describe('many small collections', () => {
  it('keeps 10,000 slabs of 100 x 8-d vectors in one shared 4 GiB heap', () => {
    const pool = new HeapPool()
    const slabs: VectorSlab[] = []
    for (let c = 0; c < 10_000; c++) {
      const slab = new VectorSlab({ dim: 8, pool })
      for (let r = 0; r < 100; r++) slab.append([c, r, 1, 2, 3, 4, 5, 6])
      slabs.push(slab)
    }
    expect(pool.heaps.length).toBe(1)
    for (let c = 0; c < 10_000; c += 37) {
      const slab = slabs[c]!
      expect(Array.from(slab.read(99))).toEqual([c, 99, 1, 2, 3, 4, 5, 6])
      const scores = slab.scan('dot', slab.loadQuery([0, 1, 0, 0, 0, 0, 0, 0]))
      expect(scores[42]).toBe(42)
    }
    for (const slab of slabs) slab.release()
    expect(pool.heaps[0]!.allocatedBytes).toBe(pool.heaps[0]!.scratch.bytes) // only scratch remains
  })

  it('spreads them over several segments when heaps are capped', () => {
    const pool = new HeapPool({ maxHeapBytes: 8 * 1024 * 1024 })
    const slabs: VectorSlab[] = []
    for (let c = 0; c < 10_000; c++) {
      const slab = new VectorSlab({ dim: 8, pool })
      for (let r = 0; r < 100; r++) slab.append([c, r, 0, 0, 0, 0, 0, 0])
      slabs.push(slab)
    }
    expect(pool.heaps.length).toBeGreaterThan(1)
    expect(pool.heaps.length).toBeLessThan(10)
    for (let c = 0; c < 10_000; c += 13)
      expect(Array.from(slabs[c]!.read(c % 100))).toEqual([c, c % 100, 0, 0, 0, 0, 0, 0])
  })
})
