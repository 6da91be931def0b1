import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const out = mkdtempSync(join(tmpdir(), 'vectorkit-bench-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const REQUIRED = [
  'suite',
  'system',
  'dataset',
  'n',
  'dim',
  'metric',
  'k',
  'params',
  'recallAt10',
  'p50Ms',
  'p95Ms',
  'p99Ms',
  'qps',
  'buildMs',
  'bytesPerVector',
]

describe('a tiny bench run', () => {
  it('writes schema 1 with the required fields, unrounded', () => {
    execFileSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'bench/src/cli.ts',
        '--quick',
        '--suite',
        'search',
        '--dataset',
        'sift-5k',
        '--system',
        'js-float32-scan',
        'hnswlib-node',
        '--out',
        out,
        '--json',
        join(out, 'out.json'),
      ],
      { cwd: root, stdio: 'pipe', timeout: 120_000 },
    )
    const result = JSON.parse(readFileSync(join(out, 'out.json'), 'utf8'))
    expect(result.schema).toBe(1)
    expect(typeof result.startedAt).toBe('string')
    expect(result.machine.cpus).toBeGreaterThan(0)
    expect(result.machine.node).toMatch(/^v\d+/)
    const systems = new Set(result.runs.map((r: { system: string }) => r.system))
    expect(systems).toEqual(new Set(['js-float32-scan', 'hnswlib-node']))
    for (const row of result.runs) {
      for (const f of REQUIRED) expect(row).toHaveProperty(f)
      expect(row.dataset).toBe('sift-5k')
      expect(row.n).toBe(4500)
      expect(row.dim).toBe(128)
      expect(row.recallAt10).toBeGreaterThan(0.5)
      expect(row.recallAt10).toBeLessThanOrEqual(1)
      expect(row.versions.node).toBe(process.version)
    }
    const scan = result.runs.find((r: { system: string }) => r.system === 'js-float32-scan')
    expect(scan.recallAt10).toBe(1)
    const sweep = result.runs
      .filter((r: { system: string }) => r.system === 'hnswlib-node')
      .map((r: { params: { efSearch: number } }) => r.params.efSearch)
    expect(sweep).toEqual([10, 20, 40, 80, 160, 320])
  }, 120_000)
})
