import { readFile, rename, writeFile } from 'node:fs/promises'
import { type ResolvedCollectionSpec, VectorStoreError } from '@vectorkit/core'

/**
 * Progress of one collection inside a {@link MigrationCheckpoint}.
 *
 * @example
 * ```ts
 * const entry: CollectionCheckpoint = { spec, after: 'doc-00412', copied: 413, done: false }
 * ```
 */
export interface CollectionCheckpoint {
  /** Spec the target was created with; a resume into a different spec is a `CONFLICT`. */
  spec: ResolvedCollectionSpec
  /** Last id whose batch is known to be in the target (exclusive scan cursor of the next run). */
  after?: string
  /** Records copied so far, over every run. */
  copied: number
  done: boolean
}

/**
 * What {@link migrate} saves after every batch, so a killed run can continue where it stopped.
 *
 * @example
 * ```json
 * { "version": 1, "startedAt": "2026-01-01T00:00:00.000Z", "collections": { "docs": { "after": "d-9", "copied": 10, "done": false, "spec": { "dimensions": 3, "metric": "cosine", "index": { "type": "flat" } } } } }
 * ```
 */
export interface MigrationCheckpoint {
  version: 1
  startedAt: string
  collections: Record<string, CollectionCheckpoint>
}

/**
 * Where checkpoints live. {@link fileCheckpoint} is the usual one; pass your own to keep them
 * elsewhere (a database row, object storage).
 *
 * @example
 * ```ts
 * let saved: MigrationCheckpoint | undefined
 * const inMemory: CheckpointStore = { load: async () => saved, save: async (c) => { saved = structuredClone(c) } }
 * ```
 */
export interface CheckpointStore {
  /** The saved checkpoint, or `undefined` when there is none yet. */
  load(): Promise<MigrationCheckpoint | undefined>
  save(checkpoint: MigrationCheckpoint): Promise<void>
}

/**
 * A checkpoint kept in a JSON file. Saves write a temporary file and rename it over the old one,
 * so a kill during a save leaves either the old or the new checkpoint, never a torn one.
 *
 * @example
 * ```ts
 * await migrate(source, target, { checkpoint: fileCheckpoint('./migrate.json'), resume: true })
 * ```
 */
export function fileCheckpoint(path: string): CheckpointStore {
  return {
    async load() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw new VectorStoreError('INTERNAL', `cannot read checkpoint ${path}`, { cause: err })
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (err) {
        throw new VectorStoreError('CORRUPT_DATA', `checkpoint ${path} is not valid JSON`, { cause: err })
      }
      return checkCheckpoint(parsed, path)
    },
    async save(checkpoint) {
      const tmp = `${path}.tmp-${process.pid}`
      try {
        await writeFile(tmp, `${JSON.stringify(checkpoint, null, 2)}\n`)
        await rename(tmp, path)
      } catch (err) {
        throw new VectorStoreError('INTERNAL', `cannot write checkpoint ${path}`, { cause: err })
      }
    },
  }
}

function checkCheckpoint(value: unknown, where: string): MigrationCheckpoint {
  const c = value as Partial<MigrationCheckpoint> | null
  if (!c || typeof c !== 'object' || c.version !== 1 || typeof c.collections !== 'object' || !c.collections)
    throw new VectorStoreError('CORRUPT_DATA', `checkpoint ${where} is not a version 1 vectorkit checkpoint`)
  for (const [name, entry] of Object.entries(c.collections)) {
    if (
      !entry ||
      typeof entry.copied !== 'number' ||
      typeof entry.done !== 'boolean' ||
      (entry.after !== undefined && typeof entry.after !== 'string') ||
      !entry.spec
    )
      throw new VectorStoreError('CORRUPT_DATA', `checkpoint ${where}: entry for ${name} is malformed`)
  }
  return c as MigrationCheckpoint
}
