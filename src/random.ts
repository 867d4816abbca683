/**
 * Seeded pseudo-random numbers. Every shuffle and sample in bhive takes a `Random`, so
 * results depend only on the seed. The generator is xoshiro128** (Blackman and Vigna),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 */

export interface RandomState {
  s: [number, number, number, number];
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Return a uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Return a uniform number in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Return a uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Return a standard normal number (Box-Muller). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffle `array` in place (Fisher-Yates) and return it. */
  shuffle<T extends { length: number; [index: number]: number } | unknown[]>(array: T): T {
    const items = array as unknown as { length: number; [index: number]: unknown };
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return array;
  }

  /** Return a permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  getState(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3] };
  }

  setState(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
