import { execFile, execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

/** Where Debian's PostgreSQL 15 binaries live (see scripts/provision-postgres.sh). */
const BIN = process.env.VECTORKIT_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** A free TCP port on 127.0.0.1 (bound and released; the cluster takes it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * A PostgreSQL 15 cluster of its own for fault tests: `initdb` in a temporary directory, on a
 * random port, owned and run by the `postgres` OS user (initdb refuses root), so stopping and
 * restarting it can never disturb the shared server on 5432 that the other tests use.
 * pgvector is created in its `postgres` database.
 *
 * @example
 * ```ts
 * const cluster = await ThrowawayCluster.create()
 * cluster.restart('fast')
 * await cluster.destroy()
 * ```
 */
export class ThrowawayCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  static async create(): Promise<ThrowawayCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'vk-faults-pg-'))
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
      chownSync(dir, uid, gid)
    }
    const cluster = new ThrowawayCluster(dir, await freePort())
    await cluster.pg('initdb', [
      '-D',
      cluster.data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ])
    await cluster.start()
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    await c.query('create extension if not exists vector')
    await c.end()
    return cluster
  }

  private get data(): string {
    return join(this.dir, 'data')
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=40`
    await this.pg('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      opts,
      '-w',
      '-t',
      '60',
      'start',
    ])
  }

  /** `fast`: clients are disconnected and the server shuts down cleanly; `immediate`: it just dies. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop'])
  }

  async restart(mode: 'fast' | 'immediate'): Promise<void> {
    await this.stop(mode)
    await this.start()
  }

  /** Stops the server (if running) and removes its directory. */
  async destroy(): Promise<void> {
    try {
      await this.stop('immediate')
    } catch {
      // Already stopped: nothing to do but remove the files.
    }
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Runs a PostgreSQL tool asynchronously, so the test's traffic keeps running meanwhile. */
  private async pg(tool: string, args: string[]): Promise<void> {
    const bin = join(BIN, tool)
    const [cmd, argv] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
    await promisify(execFile)(cmd, argv, { cwd: tmpdir() })
  }
}
