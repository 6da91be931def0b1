import { describe, expect, it } from 'vitest'
import { encodeCopyBinary } from '../src/systems/pg-raw'

describe('encodeCopyBinary', () => {
  it('writes the COPY binary header, three fields per row, big-endian vectors and the trailer', () => {
    const buf = encodeCopyBinary(['a', 'bc'], Float32Array.from([1, -2, 0.5, 3]), 2, ['{}', '{"b":1}'])
    expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0')
    let o = 19
    const row = (id: string, v: number[], meta: string) => {
      expect(buf.readInt16BE(o)).toBe(3)
      expect(buf.readInt32BE(o + 2)).toBe(id.length)
      expect(buf.subarray(o + 6, o + 6 + id.length).toString()).toBe(id)
      o += 6 + id.length
      expect(buf.readInt32BE(o)).toBe(4 + 4 * v.length)
      expect(buf.readInt16BE(o + 4)).toBe(v.length)
      v.forEach((x, i) => {
        expect(buf.readFloatBE(o + 8 + 4 * i)).toBe(x)
      })
      o += 8 + 4 * v.length
      expect(buf.readInt32BE(o)).toBe(1 + meta.length)
      expect(buf[o + 4]).toBe(1)
      expect(buf.subarray(o + 5, o + 5 + meta.length).toString()).toBe(meta)
      o += 5 + meta.length
    }
    row('a', [1, -2], '{}')
    row('bc', [0.5, 3], '{"b":1}')
    expect(buf.readInt16BE(o)).toBe(-1)
    expect(buf.length).toBe(o + 2)
  })
})
