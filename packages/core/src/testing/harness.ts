import { afterEach, beforeEach, expect } from 'vitest'
import { type ErrorCode, isVectorStoreError } from '../errors'
import type { Collection, CollectionSpec, IndexSpec, Metadata, Metric, VectorStore } from '../types'
import type { ConformanceFactory } from './options'

/** A random lowercase suffix so stores sharing one database never collide. */
export function uniqueName(prefix = 'vk'): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36).slice(-4)}`
}

/**
 * Per-test store lifecycle: opens a store before each test, and after it drops every collection
 * the test created and closes the store. Tests that close the store themselves are cleaned up
 * through a fresh store, so a shared database is left as it was found.
 */
export interface Harness {
  readonly store: VectorStore
  /** Creates a collection with a unique name that is dropped after the test. */
  create<M extends Metadata = Metadata>(spec: CollectionSpec, prefix?: string): Promise<Collection<M>>
  /** Remembers a name created by hand so it is dropped after the test. */
  track(name: string): string
  /** Opens another store from the factory (closed after the test). */
  open(): Promise<VectorStore>
}

export function useHarness(factory: ConformanceFactory): Harness {
  let store: VectorStore | undefined
  let names: string[] = []
  let extra: VectorStore[] = []
  beforeEach(async () => {
    store = await factory()
    names = []
    extra = []
  })
  afterEach(async () => {
    let cleaner = store!
    if (names.length > 0) {
      try {
        await cleaner.listCollections()
      } catch (err) {
        if (!isVectorStoreError(err, 'CLOSED')) throw err
        cleaner = await factory()
        extra.push(cleaner)
      }
      for (const name of names) {
        try {
          await cleaner.dropCollection(name)
        } catch (err) {
          if (!isVectorStoreError(err, 'NOT_FOUND')) throw err
        }
      }
    }
    for (const s of [store!, ...extra]) await s.close()
    store = undefined
  })
  const h: Harness = {
    get store() {
      if (!store) throw new Error('the harness store is only available inside a test')
      return store
    },
    async create<M extends Metadata = Metadata>(spec: CollectionSpec, prefix = 'vk') {
      const name = h.track(uniqueName(prefix))
      return h.store.createCollection<M>(name, spec)
    },
    track(name: string) {
      names.push(name)
      return name
    },
    async open() {
      const s = await factory()
      extra.push(s)
      return s
    },
  }
  return h
}

/**
 * Asserts that `action` rejects (or throws) a `VectorStoreError` with one of `codes`, and
 * returns the error for further checks on its message.
 *
 * @example
 * ```ts
 * await expectCode(() => col.search([Number.NaN, 0]), 'VALIDATION')
 * ```
 */
export async function expectCode(
  action: () => unknown,
  ...codes: ErrorCode[]
): Promise<{ code: ErrorCode; message: string }> {
  let thrown: unknown
  try {
    await action()
  } catch (err) {
    thrown = err
  }
  if (thrown === undefined) expect.fail(`expected a VectorStoreError ${codes.join(' or ')}, but it succeeded`)
  if (!isVectorStoreError(thrown))
    expect.fail(`expected a VectorStoreError ${codes.join(' or ')}, got ${String(thrown)}`)
  expect(codes, `unexpected code ${thrown.code}: ${thrown.message}`).toContain(thrown.code)
  return { code: thrown.code, message: thrown.message }
}

/** Collects every batch of a scan. */
export async function collectScan<T>(iterable: AsyncIterable<T[]>): Promise<T[][]> {
  const batches: T[][] = []
  for await (const b of iterable) batches.push(b)
  return batches
}

/** One index variant a data-dependent case runs on. */
export interface IndexVariant {
  label: string
  index: IndexSpec
  approximate: boolean
}

/** Flat always; HNSW (high efSearch, so exact on small data) when asked. */
export function indexVariants(hnsw: boolean | undefined): IndexVariant[] {
  const variants: IndexVariant[] = [{ label: 'flat', index: { type: 'flat' }, approximate: false }]
  if (hnsw)
    variants.push({
      label: 'hnsw',
      index: { type: 'hnsw', m: 16, efConstruction: 100, efSearch: 400 },
      approximate: true,
    })
  return variants
}

export const METRICS: readonly Metric[] = ['cosine', 'dot', 'l2']
