import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { REPO_ROOT } from './datasets/index'

const require = createRequire(import.meta.url)

function pkgVersion(name: string): string | undefined {
  try {
    // Resolve the package's entry, then walk up to its package.json (some block ./package.json).
    let dir = require.resolve(name)
    for (let i = 0; i < 6; i++) {
      dir = join(dir, '..')
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string
          version?: string
        }
        if (pkg.name === name) return pkg.version
      } catch {
        // not a package directory; keep walking up
      }
    }
  } catch {
    // not installed
  }
  return undefined
}

function workspaceVersion(pkg: string): string | undefined {
  try {
    const p = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', pkg, 'package.json'), 'utf8')) as {
      version?: string
    }
    return p.version
  } catch {
    return undefined
  }
}

/**
 * Versions that matter for a system's row: Node, and the peer library or vectorkit package.
 *
 * @example
 * ```ts
 * versionsFor('hnswlib-node') // { node: 'v20.20.0', 'hnswlib-node': '3.0.0' }
 * ```
 */
export function versionsFor(system: string, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { node: process.version }
  const add = (k: string, v: string | undefined) => {
    if (v) out[k] = v
  }
  if (system === 'hnswlib-node') add('hnswlib-node', pkgVersion('hnswlib-node'))
  if (system === 'hnsw-js') add('hnsw', pkgVersion('hnsw'))
  if (system.startsWith('vectorkit-memory')) add('@vectorkit/memory', workspaceVersion('memory'))
  if (system.startsWith('vectorkit-postgres')) add('@vectorkit/postgres', workspaceVersion('postgres'))
  if (system.includes('cache')) add('@vectorkit/cache', workspaceVersion('cache'))
  if (system.includes('monitor')) add('@vectorkit/monitor', workspaceVersion('monitor'))
  if (system.startsWith('pgvector')) add('pg', pkgVersion('pg'))
  return { ...out, ...extra }
}
