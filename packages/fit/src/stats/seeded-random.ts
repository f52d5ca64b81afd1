/**
 * A small deterministic PRNG (mulberry32: 32-bit state, period 2^32) for bootstraps and
 * Monte Carlo checks. Same seed, same stream, on every platform.
 */
export type Random = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Uniform integer in [0, n). */
  nextInt: (n: number) => number;
  /** Standard normal (Box-Muller). */
  nextNormal: () => number;
};

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return {
    next,
    nextInt: (n) => Math.floor(next() * n),
    nextNormal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = next();
      while (u === 0) u = next();
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}
