import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { indexVariants, METRICS, uniqueName } from './harness'
import { type Model, modelCommands } from './model-commands'
import type { ConformanceFactory, ModelOptions } from './options'

function envInt(name: string): number | undefined {
  const v = process.env[name]
  return v === undefined || v === '' ? undefined : Number.parseInt(v, 10)
}

const DIMS = 4

/**
 * Registers a model-based test (fast-check commands): random sequences of upsert, delete by
 * ids and by filter, exact search (with filters and excludeIds), count, get and scan on a
 * small id space and 4-dimensional integer vectors, each checked against a brute-force model
 * built on core's `distance`, `compareIds` and `compileFilter`. One property per metric (and
 * per index type with `options.hnsw`). Prints the sequences, commands and seed; replay with
 * `VECTORKIT_MODEL_SEED=<seed>`.
 *
 * @example
 * ```ts
 * import { runModelSuite } from '@vectorkit/core/testing'
 * runModelSuite('memory', () => MemoryStore.open(), { hnsw: true })
 * ```
 */
export function runModelSuite(
  backendName: string,
  factory: ConformanceFactory,
  options: ModelOptions = {},
): void {
  const numRuns = options.numRuns ?? envInt('VECTORKIT_MODEL_RUNS') ?? 40
  const maxCommands = options.maxCommands ?? 30
  const seed = options.seed ?? envInt('VECTORKIT_MODEL_SEED') ?? Math.floor(Math.random() * 2 ** 31)
  const timeout = options.timeoutMs ?? 180_000

  describe(`model: ${backendName}`, () => {
    let sequences = 0
    let commands = 0
    afterAll(() => {
      console.log(
        `[vectorkit model] ${backendName}: ${sequences} sequences, ${commands} commands, seed ${seed} (replay: VECTORKIT_MODEL_SEED=${seed})`,
      )
    })

    for (const variant of indexVariants(options.hnsw))
      for (const metric of METRICS)
        it(
          `${metric} (${variant.label}) behaves like the brute-force model`,
          async () => {
            const store = await factory()
            try {
              await fc.assert(
                fc.asyncProperty(
                  fc.commands(modelCommands(DIMS), { maxCommands, size: 'max' }),
                  async (cmds) => {
                    sequences++
                    const name = uniqueName('model')
                    const col = await store.createCollection(name, {
                      dimensions: DIMS,
                      metric,
                      index: variant.index,
                    })
                    try {
                      commands += [...cmds].length
                      const model: Model = { metric, records: new Map() }
                      await fc.asyncModelRun(() => ({ model, real: col }), cmds)
                    } finally {
                      await store.dropCollection(name)
                    }
                  },
                ),
                { seed, numRuns },
              )
            } finally {
              await store.close()
            }
          },
          timeout,
        )
  })
}
