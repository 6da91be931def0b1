import type { VectorStore } from '@vectorkit/core'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { createVectorStore } from '../create-vector-store'
import { parseStoreUrl } from '../store-url'
import {
  type CliIo,
  exportCommand,
  healthCommand,
  importCommand,
  type MigrateFlags,
  migrateCommand,
  statsCommand,
} from './commands'
import { describeError, EXIT, exitCodeOf } from './exit-codes'

function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`)
    return n
  }
}

function ratioArg(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1')
  return n
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/**
 * Opens a store for the CLI: from a store URL, or from the environment (`VECTORKIT_BACKEND`, …)
 * when none is given. The CLI never starts a cache or a metrics server: it runs once and exits.
 *
 * @example
 * ```ts
 * const open = defaultOpenStore(process.env)
 * const store = await open('memory:./data')
 * ```
 */
export function defaultOpenStore(env: Record<string, string | undefined>) {
  return (url: string | undefined): Promise<VectorStore> =>
    createVectorStore({ ...(url ? parseStoreUrl(url) : {}), cache: false, monitor: false, env })
}

function buildProgram(io: CliIo, done: (code: number) => void): Command {
  const program = new Command('vectorkit')
    .description(
      'Move, inspect and check vectorkit stores. Store URLs: memory:./dir, postgres://user@host/db',
    )
    .option('--verbose', 'print stack traces on errors')
    .showHelpAfterError('(run vectorkit --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()

  program
    .command('migrate')
    .description('copy collections from one store to another, with progress, checkpoints and verification')
    .requiredOption('--from <store-url>', 'source store')
    .requiredOption('--to <store-url>', 'target store')
    .option('-c, --collection <name>', 'collection to copy (repeatable; default all)', collect)
    .option('--batch-size <n>', 'records per batch', intArg(1, 10_000), 1000)
    .option('--concurrency <n>', 'parallel upserts per batch', intArg(1, 16), 2)
    .option(
      '--checkpoint <file>',
      'progress file, saved after every batch',
      'vectorkit-migrate.checkpoint.json',
    )
    .option('--resume', 'continue from the checkpoint file')
    .addOption(new Option('--merge', 'upsert into non-empty target collections').conflicts('replace'))
    .option('--replace', 'drop and recreate non-empty target collections')
    .option('--no-verify', 'skip the count and search-agreement checks')
    .option('--samples <n>', 'verification queries per collection', intArg(1, 10_000), 20)
    .option('--min-overlap <ratio>', 'fail (exit 5) when mean overlap@10 is below this', ratioArg, 0)
    .option('--json', 'print the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (f: MigrateFlags) => done(await migrateCommand(io, f)))

  program
    .command('export')
    .description('write collections in the line-delimited vectorkit format (to stdout by default)')
    .option('--from <store-url>', 'source store (default: from VECTORKIT_* environment)')
    .option('-c, --collection <name>', 'collection to export (repeatable; default all)', collect)
    .option('-o, --output <file>', 'output file, or - for stdout', '-')
    .addOption(
      new Option('--vector-format <format>', 'vector encoding').choices(['base64', 'json']).default('base64'),
    )
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (f) => done(await exportCommand(io, f)))

  program
    .command('import')
    .description('read the line-delimited vectorkit format (from stdin by default)')
    .option('--to <store-url>', 'target store (default: from VECTORKIT_* environment)')
    .option('-i, --input <file>', 'input file, or - for stdin', '-')
    .option('--batch-size <n>', 'records per upsert', intArg(1, 10_000), 1000)
    .addOption(new Option('--merge', 'upsert into non-empty collections').conflicts('replace'))
    .option('--replace', 'drop and recreate non-empty collections')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (f) => done(await importCommand(io, f)))

  program
    .command('stats')
    .description('collections, counts and index parameters')
    .argument('[store-url]', 'store (default: from VECTORKIT_* environment)')
    .option('--json', 'print JSON')
    .action(async (url: string | undefined, f) => done(await statsCommand(io, url, f)))

  program
    .command('health')
    .description('health checks; exit 0 healthy, 6 degraded, 7 unhealthy, 3 unreachable')
    .argument('[store-url]', 'store (default: from VECTORKIT_* environment)')
    .option('--json', 'print JSON')
    .action(async (url: string | undefined, f) => done(await healthCommand(io, url, f)))

  return program
}

/**
 * Runs the `vectorkit` CLI with `argv` (without `node` and the script) and returns its exit
 * code (see {@link EXIT}). Never calls `process.exit`, so it can be tested in-process.
 *
 * @example
 * ```ts
 * const code = await runCli(['stats', 'memory:./data'], { ...io })
 * ```
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const env = io.env ?? process.env
  const full: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env,
    openStore: io.openStore ?? defaultOpenStore(env),
    isTTY: io.isTTY ?? Boolean(process.stderr.isTTY),
    ...(io.signal ? { signal: io.signal } : {}),
  }
  let code: number = EXIT.ok
  const program = buildProgram(full, (c) => {
    code = c
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (err) {
    if (err instanceof CommanderError)
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
        ? EXIT.ok
        : EXIT.usage
    const verbose = Boolean(program.opts().verbose)
    const exit = exitCodeOf(err)
    full.stderr.write(`vectorkit: ${describeError(err, verbose)}\n`)
    if (exit === EXIT.interrupted)
      full.stderr.write('vectorkit: interrupted; run the same command with --resume to continue\n')
    return exit
  }
}
