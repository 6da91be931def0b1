#!/usr/bin/env node
// `pnpm cycles`: (a) no circular imports between modules of any package (dpdm, type-only
// imports ignored); (b) the workspace package graph points one way: nothing depends on
// @vectorkit/vectorstore (except bench and examples) or @vectorkit/bench, core depends on no
// workspace package, no cycles; and source imports of @vectorkit/* are declared in package.json.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const problems = []
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'))
const subdirs = (dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => `${dir}/${name}`) : []

// Workspace packages: dir -> { name, deps: workspace package names it depends on }
const dirs = [...subdirs('packages'), 'bench', ...subdirs('examples')]
const pkgs = new Map()
for (const dir of dirs.filter((d) => existsSync(join(root, d, 'package.json')))) {
  const json = readJson(`${dir}/package.json`)
  const fields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']
  pkgs.set(dir, { name: json.name, deps: fields.flatMap((f) => Object.keys(json[f] ?? {})) })
}
const names = new Set([...pkgs.values()].map((p) => p.name))
for (const p of pkgs.values()) p.deps = p.deps.filter((d) => names.has(d))

// (a) module cycles, via dpdm; its JSON tree also feeds the import-vs-package.json check
const sources = [
  'packages/*/src/**/*.ts',
  ...(existsSync(join(root, 'bench/src')) ? ['bench/src/**/*.ts'] : []),
]
const out = join(mkdtempSync(join(tmpdir(), 'vectorkit-cycles-')), 'dpdm.json')
console.log(`• module cycles: dpdm -T ${sources.join(' ')}`)
const args = ['-T', '--no-warning', '--no-tree', '--circular', '--exit-code', 'circular:1', '-o', out]
args.push('--exclude', '(node_modules|/dist/)', ...sources)
const dpdm = spawnSync(join(root, 'node_modules/.bin/dpdm'), args, { cwd: root, encoding: 'utf8' })
const report = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null
rmSync(dirname(out), { recursive: true, force: true })
if (dpdm.error || !report || (dpdm.status !== 0 && !report.circulars?.length))
  problems.push(`dpdm failed (exit ${dpdm.status}): ${dpdm.error?.message ?? dpdm.stderr.trim()}`)
for (const cycle of report?.circulars ?? [])
  problems.push(`circular import: ${[...cycle, cycle[0]].join(' -> ')}`)

for (const [file, deps] of Object.entries(report?.tree ?? {})) {
  const dir = dirs.find((d) => file.startsWith(`${d}/`))
  if (!dir || !pkgs.has(dir)) continue
  for (const dep of deps ?? []) {
    const imported = dep.request.match(/^@vectorkit\/[^/]+/)?.[0]
    const name = pkgs.get(dir).name
    if (imported && imported !== name && !pkgs.get(dir).deps.includes(imported))
      problems.push(`${file} imports ${imported}, which ${dir}/package.json does not declare`)
    const target = dep.id && !dep.request.startsWith('@') && dirs.find((d) => dep.id.startsWith(`${d}/`))
    if (target && target !== dir) problems.push(`${file} reaches into ${target} by path ('${dep.request}')`)
  }
}

// (b) package graph rules
console.log(`• package graph: ${[...pkgs.keys()].join(', ')}`)
for (const [dir, { name, deps }] of pkgs) {
  const consumerOk = dir === 'bench' || dir.startsWith('examples/')
  for (const dep of deps) {
    if (dep === '@vectorkit/bench') problems.push(`${name} depends on @vectorkit/bench (nothing may)`)
    if (dep === '@vectorkit/vectorstore' && !consumerOk)
      problems.push(`${name} depends on @vectorkit/vectorstore (only bench and examples may)`)
    if (name === '@vectorkit/core')
      problems.push(`@vectorkit/core depends on ${dep} (core depends on no package)`)
  }
}
const byName = new Map([...pkgs.values()].map((p) => [p.name, p.deps]))
const state = new Map() // name -> 'visiting' | 'done'
const visit = (name, path) => {
  if (state.get(name) === 'done') return
  if (state.get(name) === 'visiting') {
    problems.push(`package cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`)
    return
  }
  state.set(name, 'visiting')
  for (const dep of byName.get(name) ?? []) visit(dep, [...path, name])
  state.set(name, 'done')
}
for (const name of byName.keys()) visit(name, [])

if (problems.length > 0) {
  console.error(`\n✖ ${problems.length} dependency problem(s):`)
  for (const p of problems) console.error(`  - ${p}`)
  process.exit(1)
}
const modules = Object.keys(report.tree).filter((f) => dirs.some((d) => f.startsWith(`${d}/`))).length
console.log(`✔ no circular imports in ${modules} modules; package graph is one-way and acyclic`)
