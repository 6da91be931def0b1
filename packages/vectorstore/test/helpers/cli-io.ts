import { PassThrough, Readable } from 'node:stream'
import type { VectorStore } from '@vectorkit/core'
import { MemoryStore } from '@vectorkit/memory'
import { runCli } from '../../src/cli/run-cli'
import type { CliIo } from '../../src/index'

/** Runs the CLI in-process over named memory stores (`memory:a` → the same store every time). */
export class CliHarness {
  readonly stores = new Map<string, VectorStore>()

  async store(name: string): Promise<VectorStore> {
    let s = this.stores.get(name)
    if (!s) {
      s = await MemoryStore.open()
      this.stores.set(name, s)
    }
    return s
  }

  async run(argv: string[], extra: Partial<CliIo> & { input?: string } = {}) {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let out = ''
    let err = ''
    stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
    })
    stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8')
    })
    const code = await runCli(argv, {
      stdout,
      stderr,
      stdin: Readable.from(extra.input === undefined ? [] : [extra.input]),
      env: {},
      isTTY: false,
      openStore: async (url) => {
        const name = url?.startsWith('memory:') ? url.slice('memory:'.length) : undefined
        if (name === undefined) throw new Error(`test harness only opens memory:<name>, got ${url}`)
        const real = await this.store(name)
        // The CLI closes what it opens; the harness keeps the store for the next command.
        return new Proxy(real, {
          get: (t, p) => (p === 'close' ? async () => {} : Reflect.get(t, p, t)),
        })
      },
      ...extra,
    })
    return { code, out, err }
  }
}
