/**
 * The bench's own seeded PRNG, so every dataset is reproducible across machines and Node
 * versions: xoshiro128** (Blackman & Vigna) seeded through splitmix32, with Box-Muller for
 * normal deviates. `Math.random` is never used for data.
 *
 * @example
 * ```ts
 * const rng = new Prng(42)
 * const u = rng.float() // [0, 1)
 * const z = rng.normal() // N(0, 1)
 * ```
 */
export class Prng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number
  private spare = 0
  private hasSpare = false

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the 128-bit state; an all-zero state is impossible.
    let x = seed >>> 0
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** Next uniform unsigned 32-bit integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform float in [0, 1) with 24 bits of precision. */
  float(): number {
    return (this.u32() >>> 8) / 16777216
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** Standard normal deviate (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    const u1 = 1 - this.float() // (0, 1]: log never sees 0
    const u2 = this.float()
    const r = Math.sqrt(-2 * Math.log(u1))
    const theta = 2 * Math.PI * u2
    this.spare = r * Math.sin(theta)
    this.hasSpare = true
    return r * Math.cos(theta)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
