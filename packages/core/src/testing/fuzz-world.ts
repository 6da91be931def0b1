import fc from 'fast-check'
import { expect } from 'vitest'
import { utf8Length } from '../ids'
import type { Collection, VectorRecord, VectorStore } from '../types'
import { validateCollectionName } from '../validation'
import { normMeta } from './data'
import { uniqueName } from './harness'
import type { ConformanceFactory } from './options'

const SEEDED: VectorRecord[] = [
  { id: 'seed-a', vector: [1, 0, 0, 0], metadata: { n: 1, tag: 'a' } },
  { id: 'seed-b', vector: [0, 1, 0, 0], metadata: { n: 2, tag: 'b' } },
  { id: 'seed-c', vector: [0, 0, 1, 0.5] },
]

/**
 * What a fuzz property runs against: one store and two seeded collections whose contents and
 * names must be exactly as they were after every bad call.
 */
export class FuzzWorld {
  private constructor(
    readonly store: VectorStore,
    readonly cosine: Collection,
    readonly l2: Collection,
    readonly prefix: string,
  ) {}

  static async open(factory: ConformanceFactory): Promise<FuzzWorld> {
    const store = await factory()
    const prefix = uniqueName('fz')
    const cosine = await store.createCollection(`${prefix}_cos`, { dimensions: 4, metric: 'cosine' })
    const l2 = await store.createCollection(`${prefix}_l2`, { dimensions: 4, metric: 'l2' })
    await cosine.upsert(SEEDED)
    await l2.upsert(SEEDED)
    return new FuzzWorld(store, cosine, l2, prefix)
  }

  /** A name nobody has created. */
  freshName(): string {
    return `${this.prefix}_${Math.random().toString(36).slice(2, 10)}`
  }

  /** Nothing was written: same records, same collections, no invalid names listed. */
  async expectUnchanged(extraIds: readonly string[] = []): Promise<void> {
    for (const col of [this.cosine, this.l2]) {
      expect(await col.count(), `${col.name} count changed`).toBe(SEEDED.length)
      const got = await col.get([
        ...SEEDED.map((r) => r.id),
        ...extraIds.filter((id) => typeof id === 'string'),
      ])
      expect(got.map((r) => r.id)).toEqual(SEEDED.map((r) => r.id))
      for (const [i, r] of got.entries()) expect(normMeta(r.metadata)).toEqual(normMeta(SEEDED[i]!.metadata))
    }
    const names = (await this.store.listCollections()).map((c) => c.name)
    for (const name of names) expect(() => validateCollectionName(name), `listed name ${name}`).not.toThrow()
    expect(names.filter((n) => n.startsWith(this.prefix)).sort()).toEqual(
      [this.cosine.name, this.l2.name].sort(),
    )
  }

  async close(): Promise<void> {
    try {
      for (const name of [this.cosine.name, this.l2.name]) await this.store.dropCollection(name)
    } finally {
      await this.store.close()
    }
  }
}

const HOSTILE = [
  'x"; DROP TABLE t; --',
  "a'--",
  "'); DROP TABLE vk; --",
  '\\',
  '\\x00',
  '%',
  '_',
  '$1',
  '?',
  '{}',
  '[]',
  '../a',
  'NULL',
  'null',
  '🙂',
  'é',
  'e\u0301',
  '\uFFFD',
  ' ',
  '\n',
  '0',
]

const anyText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
)

const wellFormed = (s: string) => s.isWellFormed() && !s.includes('\u0000')

/** Ids that look hostile but are valid. */
export const hostileId = anyText.filter(
  (s) => s.length > 0 && wellFormed(s) && utf8Length(s) <= 512 && !s.startsWith('seed-'),
)
/** Metadata keys that look hostile but are valid, and addressable by a filter (no dots, no leading `$`). */
export const hostileKey = anyText.filter(
  (s) => s.length > 0 && wellFormed(s) && !s.includes('.') && !s.startsWith('$') && s !== '__proto__',
)
/** String values that look hostile but are valid. */
export const hostileValue = fc.oneof(fc.constant(''), anyText).filter(wellFormed)

const NAME_CHARS = ['a', 'Z', '9', '_', '-', 'é', 'ß', '日', 'Ж', 'ä', '٣', 'ǅ', 'ﬁ', 'Ω', 'x']

/** Valid names: Unicode letters and digits, up to the 128-byte limit. */
export const validNameTail = fc
  .tuple(
    fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 0, maxLength: 80 }),
    fc.integer({ min: 16, max: 128 }),
  )
  .map(([chars, maxBytes]) => ({ tail: chars.join(''), maxBytes }))

/** `prefix + tail` cut at a code point boundary to at most `maxBytes` bytes of UTF-8. */
export function fitName(prefix: string, tail: string, maxBytes: number): string {
  let out = prefix
  for (const ch of tail) {
    if (utf8Length(out + ch) > maxBytes) break
    out += ch
  }
  return out
}
