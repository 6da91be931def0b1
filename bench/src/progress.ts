import cliProgress from 'cli-progress'

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
