import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import wabtInit from 'wabt'
import { KERNELS_WASM_BASE64, KERNELS_WAT_SHA256 } from '../src/kernels/kernels.generated'
import { webAssembly } from '../src/kernels/wasm-api'

const REGENERATE =
  'kernels.generated.ts is stale: run `pnpm --filter @vectorkit/memory kernels` and commit it'

// Same features and toBinary options as scripts/build-kernels.mjs.
async function compileWat(source: string): Promise<Uint8Array> {
  const wabt = await wabtInit()
  const module = wabt.parseWat('kernels.wat', source, { simd: true })
  try {
    module.resolveNames()
    module.validate()
    return module.toBinary({
      log: false,
      canonicalize_lebs: true,
      relocatable: false,
      write_debug_names: false,
    }).buffer
  } finally {
    module.destroy()
  }
}

describe('kernels.generated.ts', () => {
  const source = readFileSync(new URL('../src/kernels/kernels.wat', import.meta.url), 'utf8')

  it('was generated from the current kernels.wat (hash)', () => {
    const sha256 = createHash('sha256').update(source).digest('hex')
    expect(sha256, REGENERATE).toBe(KERNELS_WAT_SHA256)
  })

  it('holds exactly the bytes wabt compiles kernels.wat to', async () => {
    const fresh = Buffer.from(await compileWat(source)).toString('base64')
    expect(fresh === KERNELS_WASM_BASE64, REGENERATE).toBe(true)
  })

  it('is a module this runtime accepts', () => {
    expect(webAssembly().validate(Buffer.from(KERNELS_WASM_BASE64, 'base64'))).toBe(true)
  })
})
