import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import type { SnapshotPhase } from '../src/persistence/index'
import { clustered, recall, rng } from './fixtures'
import { tempDirs } from './persistence-helpers'

/**
 * Crash test (issue 6, 3.1): a child process writes in a loop with `fsync: 'always'` and is
 * SIGKILLed — at random moments and at seeded points inside every phase of a snapshot — on
 * an HNSW collection of 5,000+ vectors. After each kill the directory is reopened and checked:
 * every acknowledged write is there, no batch is half-applied, and search recall is intact.
 */
const DIM = 32
const BASE = 5000
const BATCH = 16
const PHASES: SnapshotPhase[] = ['rotated', 'writing', 'written', 'synced', 'renamed', 'published']
const RANDOM_KILLS = 10
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CHILD = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url))

const dirs = tempDirs()
afterAll(() => dirs.cleanup())

interface Op {
  op: 'up' | 'del'
  batch: string
  version: number
}

interface ChildRun {
  acked: Op[]
  inFlight: Op | undefined
  phaseSeen: boolean
  output: string
}

/** Runs the writer until `killWhen` says so (or `deadlineMs`), SIGKILLs it, returns what it said. */
function runChild(
  env: Record<string, string>,
  killWhen: (line: string, child: ChildProcess) => boolean,
  deadlineMs: number,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const result: ChildRun = { acked: [], inFlight: undefined, phaseSeen: false, output: '' }
    let killed = false
    let buf = ''
    let stderr = ''
    const kill = (): void => {
      if (killed) return
      killed = true
      child.kill('SIGKILL')
    }
    const timer = setTimeout(kill, deadlineMs)
    child.stdout!.setEncoding('utf8')
    // Every line the child printed counts, also those read after the kill was sent: an ACK
    // printed before the SIGKILL landed was an acknowledgement.
    child.stdout!.on('data', (chunk: string) => {
      buf += chunk
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        result.output += `${line}\n`
        const [kind, op, batch, version] = line.split(' ')
        if (kind === 'BEGIN')
          result.inFlight = { op: op as Op['op'], batch: batch!, version: Number(version) }
        else if (kind === 'ACK') {
          result.acked.push({ op: op as Op['op'], batch: batch!, version: Number(version) })
          result.inFlight = undefined
        } else if (kind === 'PHASE') result.phaseSeen = true
        if (!killed && killWhen(line, child)) kill()
      }
    })
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}): ${stderr}`))
      else resolve(result)
    })
  })
}

describe('crash test: SIGKILL during writes and snapshots', () => {
  it(`survives ${PHASES.length * 2 + RANDOM_KILLS + 2} kills with every acknowledged write and no half batch`, async () => {
    const path = dirs.make()
    const spec = {
      dimensions: DIM,
      metric: 'l2' as const,
      index: { type: 'hnsw' as const, m: 12, efConstruction: 64 },
    }
    const base = clustered(BASE, DIM, 1)
    const queries = clustered(30, DIM, 2)
    {
      const s = await MemoryStore.open({ path, snapshotIntervalMs: 0 })
      const c = await s.createCollection('crash', spec)
      for (let i = 0; i < BASE; i += 500)
        await c.upsert(base.slice(i, i + 500).map((vector, j) => ({ id: `base-${i + j}`, vector })))
      await s.close()
    }
    // What must be in the store: batch -> version (0 = deleted).
    const model = new Map<string, number>()
    // A process crash loses no acknowledged write in any mode (the record reached the OS
    // before the ack); the modes differ only on machine crashes, which SIGKILL cannot show.
    const plan: { phase?: SnapshotPhase; fsync?: 'interval' | 'never' }[] = [
      ...PHASES.flatMap((phase) => [{ phase }, { phase }]),
      ...Array.from({ length: RANDOM_KILLS }, () => ({})),
      { fsync: 'interval' },
      { fsync: 'never' },
    ]
    const u = rng(2024)
    let kills = 0
    let phaseKills = 0
    for (let run = 0; run < plan.length; run++) {
      const step = plan[run]!
      // Random kills land after a random number of acknowledged ops (1..60) — anywhere in the
      // loop, including inside the unawaited snapshots it takes every 12 ops.
      const afterAcks = 1 + Math.floor(u() * 60)
      let acks = 0
      const res = await runChild(
        {
          VK_DIR: path,
          VK_RUN: String(run),
          VK_SEED: String(100 + run),
          VK_DIM: String(DIM),
          VK_BATCH: String(BATCH),
          ...(step.phase ? { VK_KILL_PHASE: step.phase } : {}),
          ...(step.fsync ? { VK_FSYNC: step.fsync } : {}),
        },
        (line) => {
          if (step.phase) return line.startsWith('PHASE')
          if (line.startsWith('ACK')) acks++
          return acks >= afterAcks && u() < 0.5
        },
        60_000,
      )
      kills++
      if (step.phase) {
        expect(res.phaseSeen, `run ${run}: phase ${step.phase} never reached\n${res.output}`).toBe(true)
        phaseKills++
      }
      for (const a of res.acked) model.set(a.batch, a.op === 'del' ? 0 : a.version)

      const s = await MemoryStore.open({ path, snapshotIntervalMs: 0 })
      const c = await s.collection('crash')
      expect(s.recovery?.skippedSnapshots, `run ${run}`).toEqual([])
      // Group what is stored by batch.
      const seen = new Map<string, { n: number; versions: Set<number> }>()
      let baseCount = 0
      for await (const page of c.scan({ batchSize: 1000 })) {
        for (const r of page) {
          if (r.id.startsWith('base-')) {
            baseCount++
            continue
          }
          const m = r.metadata as { batch: string; version: number }
          const g = seen.get(m.batch) ?? { n: 0, versions: new Set<number>() }
          g.n++
          g.versions.add(m.version)
          seen.set(m.batch, g)
        }
      }
      expect(baseCount).toBe(BASE)
      // No half-applied batch: a stored batch is complete and of one version.
      for (const [batch, g] of seen) {
        expect(g.n, `run ${run}: batch ${batch} partially present`).toBe(BATCH)
        expect(g.versions.size, `run ${run}: batch ${batch} mixes versions`).toBe(1)
      }
      // Every acknowledged write is present (the one in flight may or may not be).
      const flight = res.inFlight
      for (const [batch, version] of model) {
        const got = seen.get(batch)
        const gotVersion = got === undefined ? 0 : [...got.versions][0]!
        if (flight?.batch === batch) {
          const landed = flight.op === 'del' ? 0 : flight.version
          expect([version, landed], `run ${run}: in-flight batch ${batch}`).toContain(gotVersion)
          model.set(batch, gotVersion)
        } else {
          expect(gotVersion, `run ${run}: batch ${batch}`).toBe(version)
        }
      }
      if (flight !== undefined && !model.has(flight.batch)) {
        const got = seen.get(flight.batch)
        model.set(flight.batch, got === undefined ? 0 : [...got.versions][0]!)
      }
      for (const batch of seen.keys())
        expect(model.has(batch), `run ${run}: unknown batch ${batch}`).toBe(true)
      // Recall of the loaded graph against exact search.
      const got: string[][] = []
      const truth: string[][] = []
      for (const q of queries) {
        got.push((await c.search(q, { k: 10 })).map((h) => h.id))
        truth.push((await c.search(q, { k: 10, exact: true })).map((h) => h.id))
      }
      expect(recall(got, truth), `run ${run}: recall`).toBeGreaterThanOrEqual(0.9)
      await s.close()
    }
    expect(kills).toBeGreaterThanOrEqual(24)
    expect(phaseKills).toBe(PHASES.length * 2)
    console.log(
      `crash test: ${kills} kills (${phaseKills} inside snapshot phases), ${model.size} batches tracked`,
    )
  }, 600_000)
})
