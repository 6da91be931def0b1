import fc from 'fast-check'
import { expect } from 'vitest'
import { compileFilter, type Filter } from '../filter'
import { compareIds } from '../ids'
import type { Collection, Metadata, Metric, VectorRecord } from '../types'
import { expectSameVector, expectTopK, groundTruth, normMeta } from './data'
import { collectScan } from './harness'

/** The brute-force model: what the collection must hold. */
export interface Model {
  metric: Metric
  records: Map<string, { vector: number[]; metadata: Metadata | undefined }>
}

type Cmd = fc.AsyncCommand<Model, Collection>

function matching(m: Model, filter: Filter | undefined): VectorRecord[] {
  const p = compileFilter(filter)
  const out: VectorRecord[] = []
  for (const [id, r] of m.records)
    if (p(r.metadata))
      out.push(r.metadata ? { id, vector: r.vector, metadata: r.metadata } : { id, vector: r.vector })
  return out
}

const show = (x: unknown) => JSON.stringify(x)

class UpsertCommand implements Cmd {
  constructor(readonly records: VectorRecord[]) {}
  check = () => true
  async run(m: Model, col: Collection) {
    await col.upsert(this.records)
    for (const r of this.records)
      m.records.set(r.id, {
        vector: Array.from(r.vector, Math.fround),
        metadata: r.metadata && structuredClone(r.metadata),
      })
  }
  toString = () => `upsert(${show(this.records.map((r) => [r.id, Array.from(r.vector), r.metadata]))})`
}

class DeleteIdsCommand implements Cmd {
  constructor(readonly ids: string[]) {}
  check = () => true
  async run(m: Model, col: Collection) {
    const present = new Set(this.ids.filter((id) => m.records.has(id)))
    expect(await col.delete(this.ids), `delete(${show(this.ids)})`).toBe(present.size)
    for (const id of present) m.records.delete(id)
  }
  toString = () => `delete(${show(this.ids)})`
}

class DeleteFilterCommand implements Cmd {
  constructor(readonly filter: Filter) {}
  check = () => true
  async run(m: Model, col: Collection) {
    const victims = matching(m, this.filter)
    expect(await col.delete({ filter: this.filter }), `delete({ filter: ${show(this.filter)} })`).toBe(
      victims.length,
    )
    for (const r of victims) m.records.delete(r.id)
  }
  toString = () => `delete({ filter: ${show(this.filter)} })`
}

class SearchCommand implements Cmd {
  constructor(
    readonly query: number[],
    readonly k: number,
    readonly filter: Filter | undefined,
    readonly excludeIds: string[],
  ) {}
  check = () => true
  async run(m: Model, col: Collection) {
    const excluded = new Set(this.excludeIds)
    const candidates = matching(m, this.filter).filter((r) => !excluded.has(r.id))
    const hits = await col.search(this.query, {
      k: this.k,
      exact: true,
      ...(this.filter ? { filter: this.filter } : {}),
      ...(this.excludeIds.length ? { excludeIds: this.excludeIds } : {}),
    })
    expectTopK(m.metric, hits, groundTruth(m.metric, this.query, candidates), this.k)
    for (const h of hits)
      expect(normMeta(h.metadata), `metadata of ${h.id}`).toEqual(normMeta(m.records.get(h.id)?.metadata))
  }
  toString = () =>
    `search(${show(this.query)}, k=${this.k}, filter=${show(this.filter)}, excludeIds=${show(this.excludeIds)})`
}

class CountCommand implements Cmd {
  constructor(readonly filter: Filter | undefined) {}
  check = () => true
  async run(m: Model, col: Collection) {
    expect(await col.count(this.filter), `count(${show(this.filter)})`).toBe(matching(m, this.filter).length)
  }
  toString = () => `count(${show(this.filter)})`
}

class GetCommand implements Cmd {
  constructor(readonly ids: string[]) {}
  check = () => true
  async run(m: Model, col: Collection) {
    const got = await col.get(this.ids)
    expect(
      got.map((r) => r.id),
      `get(${show(this.ids)})`,
    ).toEqual(this.ids.filter((id) => m.records.has(id)))
    for (const r of got) {
      const want = m.records.get(r.id)!
      expectSameVector(m.metric, r.vector, want.vector)
      expect(normMeta(r.metadata)).toEqual(normMeta(want.metadata))
    }
  }
  toString = () => `get(${show(this.ids)})`
}

class ScanCommand implements Cmd {
  constructor(
    readonly batchSize: number,
    readonly after: string | undefined,
    readonly filter: Filter | undefined,
  ) {}
  check = () => true
  async run(m: Model, col: Collection) {
    const want = matching(m, this.filter)
      .map((r) => r.id)
      .filter((id) => this.after === undefined || compareIds(id, this.after) > 0)
      .sort(compareIds)
    const opts = {
      batchSize: this.batchSize,
      ...(this.after !== undefined ? { after: this.after } : {}),
      ...(this.filter ? { filter: this.filter } : {}),
    }
    const got = (await collectScan(col.scan(opts))).flat()
    expect(
      got.map((r) => r.id),
      this.toString(),
    ).toEqual(want)
  }
  toString = () => `scan(batchSize=${this.batchSize}, after=${show(this.after)}, filter=${show(this.filter)})`
}

/** A small id space, so replacements and deletes collide; includes non-ASCII ids. */
export const modelId = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'B', 'é', '😀', '\uFFFD', 'a1')

const scalar = fc.constantFrom<string | number | boolean | null>('x', 'y', 1, 2, '1', true, false, null)

/** Metadata with optional keys `g`, `n`, `tags`, `o.p` over a few colliding values. */
export const modelMetadata: fc.Arbitrary<Metadata | undefined> = fc.option(
  fc.record(
    {
      g: scalar,
      n: fc.integer({ min: -2, max: 3 }),
      tags: fc.array(scalar, { maxLength: 3 }),
      o: fc.record({ p: scalar }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Metadata>,
  { nil: undefined },
)

const key = fc.constantFrom('g', 'n', 'tags', 'o.p', 'o', 'missing')

const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.tuple(key, scalar).map(([k, v]) => ({ [k]: v })),
  fc.tuple(key, scalar).map(([k, v]) => ({ [k]: { $ne: v } })),
  fc.tuple(key, fc.array(scalar, { maxLength: 3 })).map(([k, v]) => ({ [k]: { $in: v } })),
  fc.tuple(key, fc.array(scalar, { maxLength: 3 })).map(([k, v]) => ({ [k]: { $nin: v } })),
  fc.tuple(key, fc.boolean()).map(([k, v]) => ({ [k]: { $exists: v } })),
  fc
    .tuple(key, fc.constantFrom('$gt', '$gte', '$lt', '$lte'), fc.integer({ min: -2, max: 3 }))
    .map(([k, op, v]) => ({ [k]: { [op]: v } })),
  fc.tuple(key, scalar).map(([k, v]) => ({ [k]: { $not: { $eq: v } } })),
)

/** Random filters over the model's metadata, nested up to three levels. */
export const modelFilter: fc.Arbitrary<Filter> = fc.letrec<{ f: Filter }>((tie) => ({
  f: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'filter' },
    leaf,
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((c) => ({ $and: c })),
    fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((c) => ({ $or: c })),
    tie('f').map((c) => ({ $not: c })),
  ),
})).f

/** The command arbitraries for a collection of `dims` dimensions. */
export function modelCommands(dims: number): fc.Arbitrary<Cmd>[] {
  const vector = fc
    .array(fc.integer({ min: -2, max: 2 }), { minLength: dims, maxLength: dims })
    .map((v) => (v.every((x) => x === 0) ? [1, ...v.slice(1)] : v))
  const record = fc.record({ id: modelId, vector, metadata: modelMetadata }).map((r) => {
    const out: VectorRecord = { id: r.id, vector: r.vector }
    if (r.metadata) out.metadata = r.metadata
    return out
  })
  const maybeFilter = fc.option(modelFilter, { nil: undefined, freq: 2 })
  return [
    fc.array(record, { minLength: 1, maxLength: 6 }).map((rs) => new UpsertCommand(rs)),
    fc.array(modelId, { maxLength: 3 }).map((ids) => new DeleteIdsCommand(ids)),
    modelFilter.map((f) => new DeleteFilterCommand(f)),
    fc
      .tuple(vector, fc.integer({ min: 1, max: 12 }), maybeFilter, fc.array(modelId, { maxLength: 2 }))
      .map(([q, k, f, ex]) => new SearchCommand(q, k, f, ex)),
    maybeFilter.map((f) => new CountCommand(f)),
    fc.array(modelId, { maxLength: 5 }).map((ids) => new GetCommand(ids)),
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.option(modelId, { nil: undefined }), maybeFilter)
      .map(([b, after, f]) => new ScanCommand(b, after, f)),
  ]
}
