import { crc32 } from 'node:zlib'
import { VectorStoreError } from '@vectorkit/core'

/**
 * On-disk framing of the two kinds of data files (all integers little-endian).
 *
 * Log file `wal-<gen>.log`:
 * ```
 * header  16 B: "VKWAL\0\0\x01" | generation u32 | crc32(bytes 0..11) u32
 * record  12 B + n: payload length n u32 (> 0) | crc32(payload) u32 | crc32(bytes 0..7) u32 | payload
 * ```
 * Snapshot file `snap-<gen>.vks`:
 * ```
 * header  32 B: "VKSNAP\0\x01" | format version u32 | generation u32 | payload length u64
 *               | reserved u32 | crc32(bytes 0..27) u32
 * payload n B
 * trailer 16 B: crc32(payload) u32 | reserved u32 | "VKSNEND\0"
 * ```
 * A snapshot is valid only when both checksums match and the file is exactly
 * `32 + n + 16` bytes long, so truncation, zero-filling and bit flips are all caught.
 *
 * @internal
 */
export const LOG_MAGIC = new Uint8Array([0x56, 0x4b, 0x57, 0x41, 0x4c, 0, 0, 1])
export const SNAP_MAGIC = new Uint8Array([0x56, 0x4b, 0x53, 0x4e, 0x41, 0x50, 0, 1])
export const SNAP_END = new Uint8Array([0x56, 0x4b, 0x53, 0x4e, 0x45, 0x4e, 0x44, 0])
export const SNAPSHOT_VERSION = 1
export const LOG_HEADER_BYTES = 16
export const SNAP_HEADER_BYTES = 32
export const SNAP_TRAILER_BYTES = 16
/** Bytes of a record's frame header. */
export const FRAME_BYTES = 12
/** Largest record payload accepted when reading (a batch is far below this). */
const MAX_RECORD = 1 << 30

/** @internal */
export function crc(data: Uint8Array, prev = 0): number {
  return crc32(data, prev) >>> 0
}

function corrupt(file: string, what: string): VectorStoreError {
  return new VectorStoreError('CORRUPT_DATA', `${file}: ${what}`, { details: { file } })
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The 16-byte header of a new log file. @internal */
export function logHeader(generation: number): Uint8Array {
  const h = new Uint8Array(LOG_HEADER_BYTES)
  const v = new DataView(h.buffer)
  h.set(LOG_MAGIC, 0)
  v.setUint32(8, generation, true)
  v.setUint32(12, crc(h.subarray(0, 12)), true)
  return h
}

/** One framed log record for `payload`. @internal */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_BYTES + payload.length)
  const v = new DataView(out.buffer)
  v.setUint32(0, payload.length, true)
  v.setUint32(4, crc(payload), true)
  v.setUint32(8, crc(out.subarray(0, 8)), true)
  out.set(payload, FRAME_BYTES)
  return out
}

/** What {@link parseLog} found. @internal */
export interface ParsedLog {
  generation: number
  /** Record payloads, in order (views into the file's bytes). */
  records: Uint8Array[]
  /** Bytes up to the end of the last good record. */
  goodLength: number
  /** Bytes after it: a torn tail (only ever accepted in the newest log). */
  tornBytes: number
}

/**
 * Splits a log file into records. A damaged header, or a damaged record followed by more
 * data, is `CORRUPT_DATA`. A damaged record at the very end is a torn tail — the write of an
 * unacknowledged record cut short by a crash: a partial frame header, a frame whose (intact)
 * length runs past the end of the file, a payload that fails its checksum and ends exactly at
 * the end of the file, or nothing but zeros (the file grew but the data never reached the
 * disk). A torn tail is accepted when `allowTornTail` is set (the newest log) and is
 * `CORRUPT_DATA` otherwise. Because each frame header has its own checksum, a flipped length
 * can never make the rest of a log look like a torn tail.
 *
 * @internal
 */
export function parseLog(bytes: Uint8Array, file: string, allowTornTail: boolean): ParsedLog {
  if (bytes.length < LOG_HEADER_BYTES) throw corrupt(file, `log header truncated (${bytes.length} bytes)`)
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (!sameBytes(bytes.subarray(0, 8), LOG_MAGIC) || v.getUint32(12, true) !== crc(bytes.subarray(0, 12)))
    throw corrupt(file, 'bad log header (wrong magic or checksum)')
  const generation = v.getUint32(8, true)
  const records: Uint8Array[] = []
  let pos = LOG_HEADER_BYTES
  while (pos < bytes.length) {
    const left = bytes.length - pos
    let torn: boolean
    if (left < FRAME_BYTES) {
      torn = true
    } else if (v.getUint32(pos + 8, true) !== crc(bytes.subarray(pos, pos + 8))) {
      torn = allZero(bytes, pos)
    } else {
      const n = v.getUint32(pos, true)
      const end = pos + FRAME_BYTES + n
      if (n === 0 || n > MAX_RECORD) {
        torn = false
      } else if (end > bytes.length) {
        torn = true
      } else if (v.getUint32(pos + 4, true) === crc(bytes.subarray(pos + FRAME_BYTES, end))) {
        records.push(bytes.subarray(pos + FRAME_BYTES, end))
        pos = end
        continue
      } else {
        torn = end === bytes.length || allZero(bytes, end)
      }
    }
    if (!torn) throw corrupt(file, `damaged log record at byte ${pos} followed by more data`)
    if (!allowTornTail) throw corrupt(file, `damaged record at byte ${pos} at the end of an older log`)
    return { generation, records, goodLength: pos, tornBytes: bytes.length - pos }
  }
  return { generation, records, goodLength: pos, tornBytes: 0 }
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false
  return true
}

/** Header of a snapshot whose payload is `payloadLength` bytes. @internal */
export function snapshotHeader(generation: number, payloadLength: number): Uint8Array {
  const h = new Uint8Array(SNAP_HEADER_BYTES)
  const v = new DataView(h.buffer)
  h.set(SNAP_MAGIC, 0)
  v.setUint32(8, SNAPSHOT_VERSION, true)
  v.setUint32(12, generation, true)
  v.setBigUint64(16, BigInt(payloadLength), true)
  v.setUint32(28, crc(h.subarray(0, 28)), true)
  return h
}

/** Trailer of a snapshot whose payload has checksum `payloadCrc`. @internal */
export function snapshotTrailer(payloadCrc: number): Uint8Array {
  const t = new Uint8Array(SNAP_TRAILER_BYTES)
  new DataView(t.buffer).setUint32(0, payloadCrc, true)
  t.set(SNAP_END, 8)
  return t
}

/**
 * Checks a whole snapshot file and returns its generation and payload (a view), or throws
 * `CORRUPT_DATA` saying what is wrong.
 *
 * @internal
 */
export function verifySnapshot(bytes: Uint8Array, file: string): { generation: number; payload: Uint8Array } {
  if (bytes.length < SNAP_HEADER_BYTES + SNAP_TRAILER_BYTES)
    throw corrupt(file, `snapshot truncated (${bytes.length} bytes)`)
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (!sameBytes(bytes.subarray(0, 8), SNAP_MAGIC)) throw corrupt(file, 'not a snapshot (wrong magic)')
  if (v.getUint32(28, true) !== crc(bytes.subarray(0, 28)))
    throw corrupt(file, 'snapshot header checksum mismatch')
  const version = v.getUint32(8, true)
  if (version !== SNAPSHOT_VERSION) throw corrupt(file, `unsupported snapshot format version ${version}`)
  const length = Number(v.getBigUint64(16, true))
  const expected = SNAP_HEADER_BYTES + length + SNAP_TRAILER_BYTES
  if (bytes.length !== expected)
    throw corrupt(file, `snapshot is ${bytes.length} bytes, header says ${expected} (truncated or extended)`)
  const payload = bytes.subarray(SNAP_HEADER_BYTES, SNAP_HEADER_BYTES + length)
  const t = SNAP_HEADER_BYTES + length
  if (!sameBytes(bytes.subarray(t + 8, t + 16), SNAP_END) || v.getUint32(t + 4, true) !== 0)
    throw corrupt(file, 'snapshot trailer missing or damaged')
  if (v.getUint32(t, true) !== crc(payload)) throw corrupt(file, 'snapshot payload checksum mismatch')
  return { generation: v.getUint32(12, true), payload }
}
