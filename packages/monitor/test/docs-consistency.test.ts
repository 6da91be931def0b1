import { readFileSync } from 'node:fs'
import { withCache } from '@vectorkit/cache'
import { describe, expect, it } from 'vitest'
import { createNoopStore, withMonitor } from '../src/index'

const docs = new URL('../../../docs/', import.meta.url)

async function exportedNames(): Promise<Set<string>> {
  const store = withMonitor(withCache(createNoopStore()), { evaluateEveryMs: 0 })
  const text = await store.registry.metrics()
  await store.close()
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!))
}

describe('docs match the exported metric names', () => {
  it('the Grafana dashboard is valid JSON and queries only exported metrics', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', docs), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[]
    }
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))
    expect(exprs.length).toBeGreaterThan(20)
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/vectorkit_[a-z_]+/g)].map((m) => m[0])))
    const names = await exportedNames()
    for (const name of used) expect(names, `dashboard uses ${name}`).toContain(name)
  })

  it('docs/monitoring.md lists every exported metric, and only those', async () => {
    const md = readFileSync(new URL('monitoring.md', docs), 'utf8')
    const listed = new Set([...md.matchAll(/^\| `(vectorkit_[a-z_]+)` +\|/gm)].map((m) => m[1]!))
    expect([...listed].sort()).toEqual([...(await exportedNames())].sort())
  })
})
