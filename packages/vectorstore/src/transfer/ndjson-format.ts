import {
  type CollectionSpec,
  type Metadata,
  type ResolvedCollectionSpec,
  type VectorRecord,
  VectorStoreError,
} from '@vectorkit/core'

/**
 * # The vectorkit line-delimited export format (version 1)
 *
 * UTF-8 text, one JSON object per line (`\n`), streamable both ways:
 *
 * ```text
 * {"vectorkit":"ndjson","version":1}
 * {"collection":"docs","spec":{"dimensions":3,"metric":"cosine","index":{"type":"flat"}},"count":2}
 * {"id":"a","vectorBase64":"AACAPwAAAAAAAAAA","metadata":{"lang":"en"}}
 * {"id":"b","vector":[0,1,0],"expiresAt":"2030-01-01T00:00:00.000Z"}
 * {"end":"docs","records":2}
 * ```
 *
 * - The first line identifies the format and version.
 * - Each collection is a header line (`collection`, `spec`, and the `count` the exporter
 *   expected), its records in id order, and a footer (`end`, `records` written). An importer
 *   that reaches the end of the file without a footer knows the file was truncated.
 * - A record has `id`, and either `vectorBase64` (the float32 values, little-endian, base64:
 *   exact and about 5.3 characters per dimension) or `vector` (a JSON array of numbers,
 *   readable and easy to produce by hand), optional `metadata` (JSON) and optional `expiresAt`
 *   (ISO 8601).
 * - Blank lines are ignored.
 *
 * @example
 * ```ts
 * JSON.stringify({ vectorkit: EXPORT_FORMAT, version: EXPORT_VERSION }) // the first line
 * ```
 */
export const EXPORT_FORMAT = 'ndjson'

/**
 * Version of the format this code writes and reads.
 *
 * @example
 * ```ts
 * if (first.version !== EXPORT_VERSION) throw new Error('newer export format')
 * ```
 */
export const EXPORT_VERSION = 1

/**
 * The first line of an export.
 *
 * @example
 * ```ts
 * const first: FormatLine = { vectorkit: 'ndjson', version: 1 }
 * ```
 */
export interface FormatLine {
  vectorkit: typeof EXPORT_FORMAT
  version: typeof EXPORT_VERSION
}

/**
 * Starts a collection in an export.
 *
 * @example
 * ```ts
 * const header: CollectionHeaderLine = { collection: 'docs', spec: { dimensions: 3, metric: 'cosine' }, count: 2 }
 * ```
 */
export interface CollectionHeaderLine {
  collection: string
  spec: ResolvedCollectionSpec | CollectionSpec
  count?: number
}

/**
 * Ends a collection in an export.
 *
 * @example
 * ```ts
 * const footer: CollectionFooterLine = { end: 'docs', records: 2 }
 * ```
 */
export interface CollectionFooterLine {
  end: string
  records: number
}

/**
 * One record in an export.
 *
 * @example
 * ```ts
 * const line: RecordLine = { id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' } }
 * ```
 */
export interface RecordLine {
  id: string
  vector?: number[]
  vectorBase64?: string
  metadata?: Metadata
  expiresAt?: string
}

/**
 * How an exporter writes vectors: `base64` (exact, compact; default) or `json` (readable).
 *
 * @example
 * ```ts
 * await exportStore(store, out, { vectorEncoding: 'json' })
 * ```
 */
export type VectorEncoding = 'base64' | 'json'

/**
 * Serialises one record as a line (without the newline).
 *
 * @example
 * ```ts
 * formatRecord({ id: 'a', vector: [1, 0] }, 'json') // '{"id":"a","vector":[1,0]}'
 * ```
 */
export function formatRecord(record: VectorRecord, encoding: VectorEncoding): string {
  const line: RecordLine = { id: record.id }
  if (encoding === 'base64') {
    const v = record.vector instanceof Float32Array ? record.vector : Float32Array.from(record.vector)
    line.vectorBase64 = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
  } else {
    line.vector = Array.from(record.vector)
  }
  if (record.metadata !== undefined) line.metadata = record.metadata
  if (record.expiresAt !== undefined) line.expiresAt = record.expiresAt.toISOString()
  return JSON.stringify(line)
}

/**
 * What one parsed line is.
 *
 * @example
 * ```ts
 * const line: ParsedLine = parseLine('{"end":"docs","records":2}', 9) // { kind: 'footer', ... }
 * ```
 */
export type ParsedLine =
  | { kind: 'format'; version: number }
  | { kind: 'header'; collection: string; spec: CollectionSpec; count: number | undefined }
  | { kind: 'footer'; collection: string; records: number }
  | { kind: 'record'; record: VectorRecord }

function corrupt(lineNo: number, message: string, cause?: unknown): VectorStoreError {
  return new VectorStoreError('CORRUPT_DATA', `line ${lineNo}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { line: lineNo },
  })
}

function decodeBase64Vector(text: string, lineNo: number): Float32Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % 4 !== 0)
    throw corrupt(lineNo, `vectorBase64 holds ${bytes.length} bytes, not a multiple of 4`)
  // Copy into a fresh, aligned buffer: Buffer slices may start at any byte offset.
  const out = new Float32Array(bytes.length / 4)
  new Uint8Array(out.buffer).set(bytes)
  return out
}

/**
 * Parses one non-blank line. Record contents (finite numbers, JSON metadata, dimensions) are
 * checked later by the target's `upsert`, which reports the record's path.
 *
 * @example
 * ```ts
 * parseLine('{"id":"a","vector":[1,0]}', 3) // { kind: 'record', record: { id: 'a', vector: [1, 0] } }
 * ```
 */
export function parseLine(text: string, lineNo: number): ParsedLine {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw corrupt(lineNo, 'not valid JSON', err)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw corrupt(lineNo, 'each line must be a JSON object')
  const o = value as Record<string, unknown>
  if ('vectorkit' in o) {
    if (o.vectorkit !== EXPORT_FORMAT || o.version !== EXPORT_VERSION)
      throw corrupt(lineNo, `unsupported format ${JSON.stringify(o.vectorkit)} version ${String(o.version)}`)
    return { kind: 'format', version: EXPORT_VERSION }
  }
  if ('collection' in o) {
    if (typeof o.collection !== 'string' || !o.spec || typeof o.spec !== 'object')
      throw corrupt(lineNo, 'a collection header needs "collection" (string) and "spec" (object)')
    return {
      kind: 'header',
      collection: o.collection,
      spec: o.spec as CollectionSpec,
      count: typeof o.count === 'number' ? o.count : undefined,
    }
  }
  if ('end' in o) {
    if (typeof o.end !== 'string' || typeof o.records !== 'number')
      throw corrupt(lineNo, 'a collection footer needs "end" (string) and "records" (number)')
    return { kind: 'footer', collection: o.end, records: o.records }
  }
  if (typeof o.id !== 'string') throw corrupt(lineNo, 'a record needs an "id" string')
  let vector: Float32Array | number[]
  if (typeof o.vectorBase64 === 'string') vector = decodeBase64Vector(o.vectorBase64, lineNo)
  else if (Array.isArray(o.vector)) vector = o.vector as number[]
  else
    throw corrupt(lineNo, `record ${JSON.stringify(o.id)} needs "vector" (array) or "vectorBase64" (string)`)
  const record: VectorRecord = { id: o.id, vector }
  if (o.metadata !== undefined) record.metadata = o.metadata as Metadata
  if (o.expiresAt !== undefined) {
    const at = typeof o.expiresAt === 'string' ? new Date(o.expiresAt) : new Date(Number.NaN)
    if (Number.isNaN(at.getTime()))
      throw corrupt(lineNo, `expiresAt of ${JSON.stringify(o.id)} is not an ISO date`)
    record.expiresAt = at
  }
  return { kind: 'record', record }
}
