import { describe, expect, it } from 'vitest'
import { decodeBag, encodeBag } from '../src/persistence/bag-codec'
import {
  crc,
  frameRecord,
  LOG_HEADER_BYTES,
  logHeader,
  parseLog,
  SNAP_HEADER_BYTES,
  snapshotHeader,
  snapshotTrailer,
  verifySnapshot,
} from '../src/persistence/file-format'
import { concat, decodeEntry, encodeEntry, type LogEntry } from '../src/persistence/record-codec'

const enc = new TextEncoder()

function logOf(payloads: string[]): Uint8Array {
  return concat([logHeader(7), ...payloads.map((p) => frameRecord(enc.encode(p)))])
}

function snapshotOf(payload: Uint8Array): Uint8Array {
  return concat([snapshotHeader(3, payload.length), payload, snapshotTrailer(crc(payload))])
}

describe('bag codec', () => {
  it('round-trips JSON with typed arrays of every kind, views aligned', () => {
    const value = {
      a: 1,
      s: 'x',
      list: [{ f: new Float32Array([1.5, -2]) }, { u: new Uint32Array([1, 2, 3]) }],
      i8: new Int8Array([-1, 2, -3]),
      u8: new Uint8Array([9]),
      i32: new Int32Array([-7]),
      f64: new Float64Array([Math.PI]),
      empty: new Float32Array(0),
      ids: ['a', null, 'b'],
    }
    const bag = encodeBag(value)
    const bytes = concat(bag.parts)
    expect(bytes.length).toBe(bag.byteLength)
    expect(decodeBag(bytes)).toEqual(value)
  })

  it('rejects garbage as CORRUPT_DATA', () => {
    expect(() => decodeBag(new Uint8Array([255, 255, 0, 0, 1]))).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    )
  })
})

describe('log records', () => {
  it('round-trips every mutation kind', () => {
    const entries: LogEntry[] = [
      { type: 'createCollection', name: 'c', spec: { dimensions: 2, metric: 'l2', index: { type: 'flat' } } },
      {
        type: 'upsert',
        collection: 'c',
        records: [
          {
            id: 'a',
            vector: new Float32Array([1, 2]),
            metadata: { k: [1, { x: null }] },
            expiresAt: new Date(5),
          },
          { id: 'b', vector: new Float32Array([3, 4]), metadata: undefined, expiresAt: undefined },
        ],
      },
      { type: 'delete', collection: 'c', ids: ['a'] },
      { type: 'delete', collection: 'c', ids: ['b'], reason: 'expired' },
      { type: 'dropCollection', name: 'c' },
      { type: 'seal', records: 5 },
    ]
    for (const e of entries) expect(decodeEntry(encodeEntry(e))).toEqual(e)
  })
})

describe('log framing', () => {
  it('parses records and reports no torn tail for a clean log', () => {
    const p = parseLog(logOf(['one', 'two']), 'wal', false)
    expect(p.generation).toBe(7)
    expect(p.records.map((r) => new TextDecoder().decode(r))).toEqual(['one', 'two'])
    expect(p.tornBytes).toBe(0)
  })

  it('treats every cut inside the last record as a torn tail, only in the newest log', () => {
    const full = logOf(['first record', 'second record'])
    const lastStart = LOG_HEADER_BYTES + 12 + 'first record'.length
    for (let cut = lastStart + 1; cut < full.length; cut++) {
      const p = parseLog(full.subarray(0, cut), 'wal', true)
      expect(p.records).toHaveLength(1)
      expect(p.goodLength).toBe(lastStart)
      expect(p.tornBytes).toBe(cut - lastStart)
      expect(() => parseLog(full.subarray(0, cut), 'wal', false)).toThrow(
        expect.objectContaining({ code: 'CORRUPT_DATA' }),
      )
    }
  })

  it('accepts zeros after the last record (the file grew, the data never landed)', () => {
    const log = concat([logOf(['a']), new Uint8Array(100)])
    const p = parseLog(log, 'wal', true)
    expect(p.records).toHaveLength(1)
    expect(p.tornBytes).toBe(100)
  })

  it('detects every single-bit flip in a record followed by another one', () => {
    const log = logOf(['alpha', 'beta', 'gamma'])
    const end = LOG_HEADER_BYTES + 2 * 12 + 'alpha'.length + 'beta'.length
    for (let byte = 0; byte < end; byte++) {
      const bad = log.slice()
      bad[byte]! ^= 1 << (byte % 8)
      expect(() => parseLog(bad, 'wal', true), `byte ${byte}`).toThrow(
        expect.objectContaining({ code: 'CORRUPT_DATA' }),
      )
    }
  })

  it('detects a zero-filled or truncated header', () => {
    const log = logOf(['a'])
    expect(() => parseLog(new Uint8Array(log.length), 'wal', true)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    )
    expect(() => parseLog(log.subarray(0, 10), 'wal', true)).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    )
  })
})

describe('snapshot framing', () => {
  const payload = enc.encode('x'.repeat(200))
  const file = snapshotOf(payload)

  it('verifies a good snapshot', () => {
    const v = verifySnapshot(file, 'snap')
    expect(v.generation).toBe(3)
    expect(v.payload).toEqual(payload)
  })

  it('detects every truncation, a zero-filled file and every single-bit flip', () => {
    for (let cut = 0; cut < file.length; cut++)
      expect(() => verifySnapshot(file.subarray(0, cut), 'snap')).toThrow(
        expect.objectContaining({ code: 'CORRUPT_DATA' }),
      )
    expect(() => verifySnapshot(new Uint8Array(file.length), 'snap')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_DATA' }),
    )
    for (let byte = 0; byte < file.length; byte++) {
      const bad = file.slice()
      bad[byte]! ^= 1 << (byte % 8)
      expect(() => verifySnapshot(bad, 'snap'), `byte ${byte}`).toThrow(
        expect.objectContaining({ code: 'CORRUPT_DATA' }),
      )
    }
    expect(SNAP_HEADER_BYTES).toBe(32)
  })
})
