/**
 * `@vectorkit/memory`: the embedded vectorkit backend.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@vectorkit/memory'
 * const store = await MemoryStore.open()
 * ```
 */
export { MemoryCollection } from './memory-collection'
export { MemoryStore, type MemoryStoreOptions } from './memory-store'
export type { Mutation, MutationHook } from './mutations'
