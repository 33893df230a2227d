// Seeded pseudo-random numbers for the synthetic data: xoshiro128** (Blackman & Vigna) seeded
// through splitmix32, so that a (seed, stream) pair always gives the same sequence on every
// platform — Math.random would make `pairgrid data synth` irreproducible. Separate streams
// (slow closes, intrabar paths) keep one part of the output unchanged when another part draws more
// or fewer numbers, e.g. slow closes with or without fast bars.

const TWO_POW_32 = 4_294_967_296;

/** splitmix32 finaliser: a well-mixed 32-bit hash of a 32-bit input. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second normal of the last Box-Muller pair, while `hasSpare`. */
  private spare = 0;
  private hasSpare = false;

  /** `seed`: a non-negative safe integer; `stream`: a small integer naming an independent stream. */
  constructor(seed: number, stream: number) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    let h = mix32(mix32(mix32(stream) ^ hi) ^ lo);
    const next = () => (h = mix32(h));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /** A generator in a given raw state (for checking against the reference implementation's vectors). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const rng = new Rng(0, 0);
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    return rng;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1) (32-bit resolution, never 0, so log() is safe). */
  uniform(): number {
    return (this.nextU32() + 0.5) / TWO_POW_32;
  }

  /** Standard normal (Box-Muller, both values of each pair used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = (2 * Math.PI * this.nextU32()) / TWO_POW_32;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
