import { VectorStoreError } from '@vectorkit/core'

/** Typed arrays a bag can carry, by the one-letter-ish kind written to disk. */
const KINDS = {
  u8: Uint8Array,
  i8: Int8Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const
type Kind = keyof typeof KINDS
type Typed = InstanceType<(typeof KINDS)[Kind]>

function kindOf(v: unknown): Kind | undefined {
  if (v instanceof Uint8Array) return 'u8'
  if (v instanceof Int8Array) return 'i8'
  if (v instanceof Uint32Array) return 'u32'
  if (v instanceof Int32Array) return 'i32'
  if (v instanceof Float32Array) return 'f32'
  if (v instanceof Float64Array) return 'f64'
  return undefined
}

type Path = (string | number)[]

/**
 * A plain value with typed arrays inside (`exportState()` output), split into one JSON
 * document and the raw bytes of each typed array, so a 300 MB vector slab is written as is
 * instead of as JSON numbers. `parts` concatenated are the encoding; every part starts at a
 * multiple of 8 bytes from the start, so decoding can view the arrays in place.
 *
 * @internal
 */
export interface EncodedBag {
  parts: Uint8Array[]
  byteLength: number
}

const ZEROS = new Uint8Array(8)

/**
 * Encodes `value`: plain JSON data (objects, arrays, strings, finite numbers, booleans,
 * null) with typed arrays anywhere inside.
 *
 * @internal
 */
export function encodeBag(value: unknown): EncodedBag {
  const blobs: [Path, Kind, number][] = []
  const arrays: Typed[] = []
  const plain = strip(value, [], blobs, arrays)
  const json = new TextEncoder().encode(JSON.stringify({ v: plain, b: blobs }))
  const head = new Uint8Array(4)
  new DataView(head.buffer).setUint32(0, json.length, true)
  const parts: Uint8Array[] = [head, json]
  let length = 4 + json.length
  const pad = (): void => {
    const p = (8 - (length % 8)) % 8
    if (p > 0) {
      parts.push(ZEROS.subarray(0, p))
      length += p
    }
  }
  pad()
  for (const a of arrays) {
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    length += a.byteLength
    pad()
  }
  return { parts, byteLength: length }
}

function strip(v: unknown, path: Path, blobs: [Path, Kind, number][], arrays: Typed[]): unknown {
  if (v === null || typeof v !== 'object') return v
  const kind = kindOf(v)
  if (kind !== undefined) {
    const a = v as Typed
    blobs.push([path, kind, a.length])
    arrays.push(a)
    return null
  }
  if (Array.isArray(v)) {
    // Arrays of plain values (ids, metadata) are copied once by JSON.stringify; only walk
    // arrays that may hold typed arrays.
    if (v.length > 0 && (v[0] === null || typeof v[0] !== 'object')) return v
    return v.map((x, i) => strip(x, [...path, i], blobs, arrays))
  }
  if (v instanceof Date) return v.getTime()
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = strip(x, [...path, k], blobs, arrays)
  return out
}

/**
 * Decodes {@link encodeBag} output from `bytes` (which may be a view into a larger file).
 * Typed arrays are views into `bytes` when aligned, copies otherwise. Throws `CORRUPT_DATA`
 * when the bytes do not describe a bag.
 *
 * @internal
 */
export function decodeBag(bytes: Uint8Array): unknown {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const jsonLength = view.getUint32(0, true)
    if (4 + jsonLength > bytes.length) throw new Error('JSON length past the end')
    const doc = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + jsonLength)),
    ) as {
      v: unknown
      b: [Path, Kind, number][]
    }
    let pos = align8(4 + jsonLength)
    const root = { v: doc.v }
    for (const [path, kind, length] of doc.b) {
      const Ctor = KINDS[kind] as unknown as new (b: ArrayBufferLike, off?: number, len?: number) => Typed
      if (Ctor === undefined) throw new Error(`unknown array kind ${String(kind)}`)
      const size = KINDS[kind].BYTES_PER_ELEMENT
      const byteLength = length * size
      if (pos + byteLength > bytes.length) throw new Error('array past the end')
      const abs = bytes.byteOffset + pos
      const arr =
        abs % size === 0
          ? new Ctor(bytes.buffer, abs, length)
          : new Ctor(bytes.buffer.slice(abs, abs + byteLength))
      setAt(root, ['v', ...path], arr)
      pos = align8(pos + byteLength)
    }
    if (pos !== bytes.length) throw new Error(`${bytes.length - pos} bytes left over`)
    return root.v
  } catch (err) {
    throw new VectorStoreError('CORRUPT_DATA', `undecodable persisted state: ${(err as Error).message}`, {
      cause: err,
    })
  }
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]!] as Record<string | number, unknown>
  node[path[path.length - 1]!] = value
}

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8)
}
