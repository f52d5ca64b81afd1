import { describe, expect, it } from 'vitest';
import { createRandom } from '../stats/seeded-random';
import { normalQuantile } from './normal';
import { probBeats, probBeatsBest, probBelow } from './probabilities';

describe('probBelow', () => {
  it('is 1/2 at the median and follows the log-normal quantiles', () => {
    const dist = { mean: 2.5, logSd: 0.01 };
    expect(probBelow({ dist, target: 2.5 })).toBeCloseTo(0.5, 14);
    const z = normalQuantile(0.9);
    expect(probBelow({ dist, target: 2.5 * Math.exp(z * 0.01) })).toBeCloseTo(0.9, 12);
    expect(probBelow({ dist, target: 2.5 * Math.exp(-z * 0.01) })).toBeCloseTo(0.1, 12);
  });

  it('treats logSd 0 as a point mass and rejects bad input', () => {
    expect(probBelow({ dist: { mean: 2, logSd: 0 }, target: 2.1 })).toBe(1);
    expect(probBelow({ dist: { mean: 2, logSd: 0 }, target: 1.9 })).toBe(0);
    expect(probBelow({ dist: { mean: 2, logSd: 0.1 }, target: 0 })).toBe(0);
    expect(() => probBelow({ dist: { mean: Number.NaN, logSd: 0.1 }, target: 2 })).toThrow(/mean/);
    expect(() => probBelow({ dist: { mean: 2, logSd: -1 }, target: 2 })).toThrow(/logSd/);
  });
});

describe('probBeats', () => {
  it('is complementary and symmetric for equal runs', () => {
    const a = { mean: 2.4, logSd: 0.02 };
    const b = { mean: 2.45, logSd: 0.03 };
    expect(probBeats({ a, b }) + probBeats({ a: b, b: a })).toBeCloseTo(1, 14);
    expect(probBeats({ a, b: a })).toBeCloseTo(0.5, 14);
    expect(probBeats({ a, b })).toBeGreaterThan(0.5);
  });

  it('uses the correlation: fully correlated equal widths make the order certain', () => {
    const a = { mean: 2.4, logSd: 0.05 };
    const b = { mean: 2.41, logSd: 0.05 };
    expect(probBeats({ a, b, correlation: 1 })).toBe(1);
    expect(probBeats({ a, b, correlation: 0.9 })).toBeGreaterThan(probBeats({ a, b }));
    expect(() => probBeats({ a, b, correlation: 2 })).toThrow(/correlation/);
  });

  it('agrees with a seeded Monte Carlo of correlated log-normals', () => {
    const a = { mean: 2.4, logSd: 0.03 };
    const b = { mean: 2.42, logSd: 0.02 };
    const rho = 0.4;
    const random = createRandom(7);
    const n = 200_000;
    let wins = 0;
    for (let i = 0; i < n; i++) {
      const z1 = random.nextNormal();
      const z2 = rho * z1 + Math.sqrt(1 - rho * rho) * random.nextNormal();
      if (Math.log(a.mean) + a.logSd * z1 < Math.log(b.mean) + b.logSd * z2) wins++;
    }
    const p = probBeats({ a, b, correlation: rho });
    expect(Math.abs(wins / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe('probBeatsBest', () => {
  it('reduces to probBeats with one rival', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    const other = { mean: 2.43, logSd: 0.015 };
    expect(probBeatsBest({ run, others: [other] })).toBeCloseTo(
      probBeats({ a: run, b: other }),
      10,
    );
  });

  it('gives 1/(k+1) among k+1 identical runs', () => {
    const d = { mean: 3, logSd: 0.05 };
    expect(probBeatsBest({ run: d, others: [d, d, d] })).toBeCloseTo(0.25, 10);
  });

  it('agrees with a seeded Monte Carlo and handles point masses', () => {
    const run = { mean: 2.4, logSd: 0.03 };
    const others = [
      { mean: 2.42, logSd: 0.02 },
      { mean: 2.45, logSd: 0.04 },
      { mean: 2.38, logSd: 0.01 },
    ];
    const random = createRandom(11);
    const n = 100_000;
    let wins = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.log(run.mean) + run.logSd * random.nextNormal();
      if (others.every((o) => x < Math.log(o.mean) + o.logSd * random.nextNormal())) wins++;
    }
    const p = probBeatsBest({ run, others });
    expect(Math.abs(wins / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-6);

    const fixed = { mean: 2.4, logSd: 0 };
    expect(probBeatsBest({ run, others: [fixed] })).toBeCloseTo(0.5, 6);
    expect(probBeatsBest({ run: fixed, others: [{ mean: 2.5, logSd: 0 }] })).toBe(1);
    expect(probBeatsBest({ run, others: [] })).toBe(1);
  });
});

describe('probBeatsBest with correlated forecasts', () => {
  it('matches the independent integral at 0 and probBeats with one rival', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    const others = [
      { mean: 2.43, logSd: 0.015 },
      { mean: 2.41, logSd: 0.03 },
    ];
    expect(probBeatsBest({ run, others, correlation: 0 })).toBe(probBeatsBest({ run, others }));
    // One factor: every pair has correlation rho whatever the widths.
    expect(probBeatsBest({ run, others: [others[0]!], correlation: 0.6 })).toBeCloseTo(
      probBeats({ a: run, b: others[0]!, correlation: 0.6 }),
      6,
    );
    expect(() => probBeatsBest({ run, others, correlation: -0.2 })).toThrow(/correlation/);
  });

  it('agrees with a seeded Monte Carlo of the one-factor model', () => {
    const run = { mean: 2.4, logSd: 0.03 };
    const others = [
      { mean: 2.41, logSd: 0.02 },
      { mean: 2.45, logSd: 0.04 },
      { mean: 2.39, logSd: 0.025 },
    ];
    const rho = 0.7;
    const random = createRandom(23);
    const n = 100_000;
    const draw = (d: { mean: number; logSd: number }, u: number) =>
      Math.log(d.mean) + d.logSd * (Math.sqrt(rho) * u + Math.sqrt(1 - rho) * random.nextNormal());
    let wins = 0;
    for (let i = 0; i < n; i++) {
      const u = random.nextNormal();
      const x = draw(run, u);
      if (others.every((o) => x < draw(o, u))) wins++;
    }
    const p = probBeatsBest({ run, others, correlation: rho });
    expect(Math.abs(wins / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-6);
    // With equal widths a shared error cancels: a leader is more certain to stay ahead.
    const eq = others.map((o) => ({ ...o, logSd: 0.03 }));
    const leader = { mean: 2.37, logSd: 0.03 };
    expect(probBeatsBest({ run: leader, others: eq, correlation: rho })).toBeGreaterThan(
      probBeatsBest({ run: leader, others: eq }),
    );
  });
});

describe('calibrated bands', () => {
  it('a band wider than logSd implies widens the decision; a narrower one does not', () => {
    const bare = { mean: 2.5, logSd: 0.01 };
    const target = 2.45;
    const z95 = normalQuantile(0.975);
    const wide = { ...bare, lo95: 2.5 * Math.exp(-z95 * 0.03), hi95: 2.5 * Math.exp(z95 * 0.03) };
    expect(probBelow({ dist: wide, target })).toBeCloseTo(
      probBelow({ dist: { mean: 2.5, logSd: 0.03 }, target }),
      12,
    );
    const narrow = { ...bare, lo80: 2.49, hi80: 2.51 };
    expect(probBelow({ dist: narrow, target })).toBe(probBelow({ dist: bare, target }));
    expect(() => probBelow({ dist: bare, target: Number.NaN })).toThrow(/target/);
  });
});
