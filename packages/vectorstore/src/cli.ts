#!/usr/bin/env node
import { runCli } from './cli/run-cli'

// The first Ctrl-C asks a running migration to stop between batches (its checkpoint stays
// valid); a second one exits at once.
const controller = new AbortController()
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted by SIGINT'))
  process.once('SIGINT', () => process.exit(130))
})

runCli(process.argv.slice(2), { signal: controller.signal }).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`vectorkit: unexpected failure: ${String(err)}\n`)
    process.exitCode = 1
  },
)
