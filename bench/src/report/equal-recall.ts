import type { BenchRow } from '../results'
import { type CurvePoint, qpsAtRecall } from '../stats'

/** Which peer curve a system is compared with "at equal recall". */
export function peerOf(system: string): string | undefined {
  if (system.startsWith('vectorkit-memory-hnsw')) return 'hnswlib-node'
  if (system.startsWith('vectorkit-postgres-hnsw')) return 'pgvector-raw'
  return undefined
}

/** The (recall, QPS) curve of one system on one dataset in one suite. */
export function curveOf(rows: BenchRow[], system: string, dataset: string, suite = 'search'): CurvePoint[] {
  return rows
    .filter(
      (r) => r.system === system && r.dataset === dataset && r.suite === suite && r.params.exact !== true,
    )
    .filter((r) => r.recallAt10 !== null && r.qps !== null)
    .map((r) => ({ recall: r.recallAt10!, qps: r.qps! }))
}

/**
 * Ours / peer QPS at our recall, the peer interpolated on its (recall, log QPS) curve;
 * undefined when the peer has no curve there.
 */
export function equalRecallRatio(
  rows: BenchRow[],
  row: BenchRow,
): { peer: string; ratio: number } | undefined {
  const peer = peerOf(row.system)
  // Only the search suite has a swept peer curve; a filtered row is one point per filter.
  if (
    !peer ||
    row.suite !== 'search' ||
    row.system.includes('+') ||
    row.recallAt10 === null ||
    row.qps === null ||
    row.params.exact === true
  )
    return undefined
  const q = qpsAtRecall(curveOf(rows, peer, row.dataset, row.suite), row.recallAt10)
  return q === undefined ? undefined : { peer, ratio: row.qps / q }
}
