import type { Writable } from 'node:stream'
import cliProgress from 'cli-progress'
import type { MigrateProgress } from '../migrate/migrate'

/**
 * Shows migration progress: a bar on a terminal, a line every few seconds otherwise.
 *
 * @example
 * ```ts
 * const view = progressView(process.stderr, 'plain')
 * view.update(progress)
 * view.stop()
 * ```
 */
export interface ProgressView {
  update(p: MigrateProgress): void
  stop(): void
}

function line(p: MigrateProgress): string {
  const pct = p.total > 0 ? Math.min(100, (100 * p.copied) / p.total) : 100
  return `[${p.collectionIndex + 1}/${p.collectionCount}] ${p.collection}: ${p.copied}/${p.total} (${pct.toFixed(1)}%), ${Math.round(p.rowsPerSec)} rows/s`
}

/**
 * A view writing to `out`: `bar` when it is a terminal, plain lines when `plain`, nothing when `quiet`.
 *
 * @example
 * ```ts
 * await migrate(a, b, { onProgress: progressView(process.stderr, 'bar').update })
 * ```
 */
export function progressView(out: Writable, mode: 'bar' | 'plain' | 'quiet'): ProgressView {
  if (mode === 'quiet') return { update() {}, stop() {} }
  if (mode === 'plain') {
    let last = 0
    return {
      update(p) {
        const now = Date.now()
        // Pipes and CI logs get a line per phase change and at most one every 5 s in between.
        if (p.phase !== 'copy' || now - last >= 5000) {
          last = now
          out.write(
            `${p.phase === 'copy' ? 'copying' : p.phase === 'verify' ? 'verifying' : 'done'} ${line(p)}\n`,
          )
        }
      },
      stop() {},
    }
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WriteStream,
      format: ' {collection} [{bar}] {percentage}% | {value}/{total} | {rate} rows/s | {phase}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  let current: string | undefined
  return {
    update(p) {
      const payload = { collection: p.collection, rate: Math.round(p.rowsPerSec), phase: p.phase }
      if (current !== p.collection) {
        if (current !== undefined) bar.stop()
        current = p.collection
        bar.start(Math.max(p.total, 1), p.copied, payload)
      } else {
        bar.setTotal(Math.max(p.total, 1))
        bar.update(p.copied, payload)
      }
    },
    stop() {
      if (current !== undefined) bar.stop()
    },
  }
}
