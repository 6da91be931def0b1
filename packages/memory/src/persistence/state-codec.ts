import { type Metadata, type ResolvedCollectionSpec, VectorStoreError } from '@vectorkit/core'
import type { CollectionSnapshot, CollectionState } from '../collection-state'
import type { Mutation } from '../mutations'
import { decodeMetadata, encodeMetadata } from './record-codec'

/**
 * What persistence needs from a `MemoryStore`: its collection states and its apply path
 * (the store's own `@internal` members, named here so the dependency is explicit).
 *
 * @internal
 */
export interface PersistentHost {
  readonly states: Map<string, CollectionState>
  applyMutation(m: Mutation): number
}

/**
 * One collection as stored in a snapshot: the collection's own `exportState()` (index
 * structure — the HNSW graph, levels, entry point, tombstones, RNG state — and the vector
 * column), with ids and metadata turned into JSON bytes so the bag encoder never walks user
 * data.
 */
interface CollectionImage {
  name: string
  spec: ResolvedCollectionSpec
  state: Omit<CollectionSnapshot, 'metadata' | 'ids'> & { ids: Uint8Array; metadata: Uint8Array }
}

/** The whole store as stored in a snapshot. @internal */
export interface StoreImage {
  format: 1
  createdAt: string
  collections: CollectionImage[]
}

/**
 * Copies the state of every collection, synchronously (so it is one consistent point between
 * two mutations). The copy shares nothing mutable with the store: writes may continue while
 * it is written out.
 *
 * @internal
 */
export function exportStore(host: PersistentHost): StoreImage {
  const collections: CollectionImage[] = []
  for (const state of host.states.values()) {
    const s = state.exportState()
    collections.push({
      name: state.name,
      spec: state.spec,
      state: {
        ...s,
        ids: new TextEncoder().encode(JSON.stringify(s.ids)),
        metadata: encodeMetadata(s.metadata as (Metadata | undefined)[]),
      },
    })
  }
  return { format: 1, createdAt: new Date().toISOString(), collections }
}

/**
 * Rebuilds the collections of `image` in an empty store, without re-inserting anything: the
 * indexes take their exported arrays back as they were (the HNSW graph is loaded, not rebuilt).
 *
 * @internal
 */
export function importStore(host: PersistentHost, image: StoreImage): void {
  if (image?.format !== 1 || !Array.isArray(image.collections))
    throw new VectorStoreError('CORRUPT_DATA', 'snapshot payload is not a vectorkit store image')
  for (const c of image.collections) {
    host.applyMutation({ type: 'createCollection', name: c.name, spec: c.spec })
    const ids = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(c.state.ids)) as (string | null)[]
    const metadata = decodeMetadata(c.state.metadata)
    if (ids.length !== c.state.rows || metadata.length !== c.state.rows)
      throw new VectorStoreError('CORRUPT_DATA', `snapshot of "${c.name}": row columns disagree`)
    host.states.get(c.name)!.importState({ ...c.state, ids, metadata })
  }
}

/** Drops every collection (after a failed import, before trying an older snapshot). @internal */
export function resetStore(host: PersistentHost): void {
  for (const state of host.states.values()) state.index.release()
  host.states.clear()
}
