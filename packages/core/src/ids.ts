/**
 * Compares two strings by Unicode code point, which is also UTF-8 byte order and the order of
 * PostgreSQL's `COLLATE "C"`. JavaScript's `<` compares UTF-16 code units, which puts
 * U+E000–U+FFFF after astral characters; this function does not.
 *
 * Every backend orders ids (ties in search, `scan`) with this comparison.
 *
 * @example
 * ```ts
 * ['b', 'a', '😀', '\uFFFD'].sort(compareIds) // ['a', 'b', '\uFFFD', '😀']
 * ```
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (astral code points) must sort after every BMP code unit >= U+E000.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    }
    return x < y ? -1 : 1
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}

const encoder = new TextEncoder()

/** Bytes of `s` in UTF-8. */
export function utf8Length(s: string): number {
  // Fast path: pure ASCII is one byte per unit.
  let ascii = true
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false
      break
    }
  }
  return ascii ? s.length : encoder.encode(s).length
}
