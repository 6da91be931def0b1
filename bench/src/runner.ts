import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import cliProgress from 'cli-progress'
import type { ChildMessage, JobSpec } from './child/job'
import type { BenchRow } from './results'

const CHILD = fileURLToPath(new URL('./child/main.ts', import.meta.url))

/** Outcome of one child: its rows, and an error message when it crashed. */
export interface JobOutcome {
  rows: BenchRow[]
  error?: string
}

/**
 * Runs a job in a fresh Node process with the parent's loader flags (`--conditions=source
 * --import tsx`) plus `--expose-gc` for memory readings.
 */
export function runJob(
  job: JobSpec,
  onProgress: (label: string, done: number, total: number) => void,
  onRow: (row: BenchRow) => void,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: [...process.execArgv.filter((a) => a !== '--expose-gc'), '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const rows: BenchRow[] = []
    let error: string | undefined
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'progress') onProgress(msg.label, msg.done, msg.total)
      else if (msg.type === 'row') {
        rows.push(msg.row)
        onRow(msg.row)
      } else if (msg.type === 'error') error = msg.message
    })
    // A hung child (a stuck connection, a livelock) must not hang the whole run.
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          error = `timed out after ${Math.round(timeoutMs / 1000)} s`
          child.kill('SIGKILL')
        }, timeoutMs)
      : undefined
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (code !== 0 && !error) error = `child exited with ${signal ?? `code ${code}`}`
      resolve(error ? { rows, error } : { rows })
    })
    child.send(job)
  })
}

/**
 * Progress bars on a terminal (cli-progress, one bar per phase label); on a pipe (CI) one log
 * line when a phase starts, so logs stay readable.
 */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY)
  private readonly multi = this.tty
    ? new cliProgress.MultiBar(
        {
          format: ' {bar} {percentage}% | {value}/{total} | {label}',
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  private readonly bars = new Map<string, cliProgress.SingleBar>()
  private readonly seen = new Set<string>()

  update(label: string, done: number, total: number): void {
    if (!this.multi) {
      if (!this.seen.has(label)) process.stderr.write(`  … ${label}\n`)
      this.seen.add(label)
      return
    }
    let bar = this.bars.get(label)
    if (!bar) {
      bar = this.multi.create(total, 0, { label })
      this.bars.set(label, bar)
    }
    bar.setTotal(total)
    bar.update(done, { label })
  }

  log(line: string): void {
    if (this.multi) this.multi.log(`${line}\n`)
    else process.stderr.write(`${line}\n`)
  }

  stop(): void {
    this.multi?.stop()
  }
}
