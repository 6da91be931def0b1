import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** Where the real SIFT sample lives, relative to the repository root. */
export const SIFT_RELATIVE_PATH = '../shared/datasets/sift-5k.tsv'

/**
 * Loads `sift-5k.tsv` (5,000 × 128 integers, a 129th column with a row id) and splits it the
 * usual way: the first 4,500 rows are the base, the last 500 the queries.
 *
 * @example
 * ```ts
 * const { base, queries, dim } = loadSift('/work/main')
 * ```
 */
export function loadSift(repoRoot: string): { base: Float32Array; queries: Float32Array; dim: number } {
  const path = resolve(repoRoot, SIFT_RELATIVE_PATH)
  if (!existsSync(path)) {
    throw new Error(
      `sift-5k dataset not found at ${path} (expected ${SIFT_RELATIVE_PATH} relative to the repo root)`,
    )
  }
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
  const dim = 128
  const all = new Float32Array(lines.length * dim)
  lines.forEach((line, r) => {
    const cols = line.split('\t')
    if (cols.length < dim)
      throw new Error(`${path}: line ${r + 1} has ${cols.length} columns, expected ≥ ${dim}`)
    for (let i = 0; i < dim; i++) all[r * dim + i] = Number(cols[i])
  })
  const nBase = lines.length - 500
  return { base: all.slice(0, nBase * dim), queries: all.slice(nBase * dim), dim }
}
