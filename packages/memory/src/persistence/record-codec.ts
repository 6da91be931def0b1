import {
  type Metadata,
  type ResolvedCollectionSpec,
  type ValidRecord,
  VectorStoreError,
} from '@vectorkit/core'
import type { Mutation } from '../mutations'
import { decodeBag, encodeBag } from './bag-codec'

/**
 * What a log record holds: a {@link Mutation}, or the seal written as the last record of a
 * log when the next generation starts (so a log that lost its end is told apart from one that
 * simply ended).
 *
 * @internal
 */
export type LogEntry = Mutation | { type: 'seal'; records: number }

type Wire =
  | { t: 'c'; n: string; s: ResolvedCollectionSpec }
  | { t: 'd'; n: string }
  | { t: 'u'; c: string; ids: string[]; dim: number; vec: Float32Array; exp: Float64Array; meta: Uint8Array }
  | { t: 'x'; c: string; ids: string[]; r?: 'expired' }
  | { t: 's'; k: number }

/** Concatenates parts into one buffer. @internal */
export function concat(parts: Uint8Array[], length?: number): Uint8Array {
  const out = new Uint8Array(length ?? parts.reduce((n, p) => n + p.length, 0))
  let pos = 0
  for (const p of parts) {
    out.set(p, pos)
    pos += p.length
  }
  return out
}

/** JSON text of an array of optional metadata, as bytes (never walked by the bag codec). @internal */
export function encodeMetadata(list: readonly (Metadata | undefined)[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(list.map((m) => m ?? null)))
}

/** Inverse of {@link encodeMetadata}. @internal */
export function decodeMetadata(bytes: Uint8Array): (Metadata | null)[] {
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as (Metadata | null)[]
}

/**
 * Encodes a log entry as one record payload: vectors as raw float32, the rest as JSON.
 *
 * @internal
 */
export function encodeEntry(e: LogEntry): Uint8Array {
  let w: Wire
  switch (e.type) {
    case 'createCollection':
      w = { t: 'c', n: e.name, s: e.spec }
      break
    case 'dropCollection':
      w = { t: 'd', n: e.name }
      break
    case 'upsert':
      w = upsertWire(e.collection, e.records)
      break
    case 'delete':
      w =
        e.reason === undefined
          ? { t: 'x', c: e.collection, ids: e.ids }
          : { t: 'x', c: e.collection, ids: e.ids, r: e.reason }
      break
    case 'seal':
      w = { t: 's', k: e.records }
      break
  }
  const bag = encodeBag(w)
  return concat(bag.parts, bag.byteLength)
}

function upsertWire(collection: string, records: readonly ValidRecord[]): Wire {
  const n = records.length
  const dim = n === 0 ? 0 : records[0]!.vector.length
  const vec = new Float32Array(n * dim)
  const exp = new Float64Array(n)
  const ids: string[] = new Array(n)
  const meta: (Metadata | undefined)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const r = records[i]!
    ids[i] = r.id
    vec.set(r.vector, i * dim)
    exp[i] = r.expiresAt === undefined ? 0 : r.expiresAt.getTime()
    meta[i] = r.metadata
  }
  return { t: 'u', c: collection, ids, dim, vec, exp, meta: encodeMetadata(meta) }
}

/**
 * Decodes {@link encodeEntry} output; `CORRUPT_DATA` when it is not a valid entry (a record
 * can pass its checksum and still be from a newer, unknown format).
 *
 * @internal
 */
export function decodeEntry(payload: Uint8Array): LogEntry {
  const w = decodeBag(payload) as Wire
  switch (w?.t) {
    case 'c':
      return { type: 'createCollection', name: w.n, spec: w.s }
    case 'd':
      return { type: 'dropCollection', name: w.n }
    case 'x':
      return w.r === undefined
        ? { type: 'delete', collection: w.c, ids: w.ids }
        : { type: 'delete', collection: w.c, ids: w.ids, reason: w.r }
    case 's':
      return { type: 'seal', records: w.k }
    case 'u': {
      const meta = decodeMetadata(w.meta)
      const records: ValidRecord[] = new Array(w.ids.length)
      for (let i = 0; i < w.ids.length; i++) {
        const e = w.exp[i]!
        records[i] = {
          id: w.ids[i]!,
          // A copy: the payload view belongs to a file buffer we do not want to keep alive.
          vector: w.vec.slice(i * w.dim, (i + 1) * w.dim),
          metadata: meta[i] ?? undefined,
          expiresAt: e === 0 ? undefined : new Date(e),
        }
      }
      return { type: 'upsert', collection: w.c, records }
    }
    default:
      throw new VectorStoreError('CORRUPT_DATA', 'log record of an unknown kind')
  }
}
