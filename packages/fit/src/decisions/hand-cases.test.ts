import { describe, expect, it } from 'vitest';
import { decidableAtStep } from './decidable-at-step';
import { decideStop } from './decide-stop';
import { type ErrorSample, estimateErrorCorrelation } from './error-correlation';
import { fitWidthExponent } from './fit-width-exponent';
import { erf, normalCdf, normalQuantile } from './normal';
import { computeEffectiveLogSd, probBeats, probBeatsBest } from './probabilities';

// Small cases whose answers are worked out by hand (or from a closed form), each on both sides of
// the rule it pins. The conformal quantile is "the smallest value whose cumulative weight reaches
// q (n + 1) / n of the total" (error-correlation.ts).

/** A sample whose standardised error |log(actual / mean)| / logSd is `z` (sign `sign`). */
function sample(group: string, z: number, sign = 1, logSd = 0.01, at = 0.5): ErrorSample {
  return { group, at, mean: 3, logSd, actual: 3 * Math.exp(sign * z * logSd) };
}

describe('estimateErrorCorrelation on hand-sized cases', () => {
  it('the marginal quantile at 0.75 of 15 runs is the 12th smallest |z| (level 0.75 * 16 = 12)', () => {
    // Five cells of three runs with |z| = 1..15, signs alternating.
    const samples = Array.from({ length: 15 }, (_, i) =>
      sample(`g${i % 5}`, i + 1, i % 2 === 0 ? 1 : -1),
    );
    const r = estimateErrorCorrelation({ samples, coverage: 0.75 });
    expect(r.runs).toBe(15);
    expect(r.pairs).toBe(5 * 3);
    // (n + 1) / n: 12th. With (n - 1) / n the level is 10.5 (11th); a level taken a hair above
    // 12 (no tolerance for the rounding of 0.75 * 16 / 15 * 15) gives the 13th.
    expect(r.marginalQuantile).toBeCloseTo(12, 9);
    expect(r.scale).toBeCloseTo(r.marginalQuantile / normalQuantile(0.875), 12);
  });

  it('weighs each pair 1 / (n_cell - 1): a cell counts by its runs, not its pairs', () => {
    // Cell A: 3 runs with zero error (3 pairs of 0, weight 1/2 each: 1.5 in all).
    // Cells B, C, D: 2 runs each, one pair (weight 1) of |e_a - e_b| / hypot(s, s):
    //   B: e = +1, -1 (x 0.01) -> 2 / sqrt 2 = sqrt 2;  C: +3, -1 -> 2 sqrt 2;  D: +5, -3 -> 4 sqrt 2.
    // Sorted weights 0.5, 0.5, 0.5, 1, 1, 1 (total 4.5); coverage 0.5 over 6 pairs: level
    // 0.5 * 7 / 6 * 4.5 = 2.625, first reached at cumulative 3.5: C's 2 sqrt 2.
    // Unweighted pairs (or 1 / (n + 1)) would give 0 (or sqrt 2).
    const samples: ErrorSample[] = [
      sample('a', 0),
      sample('a', 0),
      sample('a', 0),
      sample('b', 1),
      sample('b', 1, -1),
      sample('c', 3),
      sample('c', 1, -1),
      sample('d', 5),
      sample('d', 3, -1),
      // A cell of one run has no pair: it counts for nothing.
      sample('solo', 7),
      // Unusable samples are dropped (not counted as runs): no width, a negative width, an
      // infinite width, an infinite forecast, a missing actual.
      sample('b', 1, 1, 0),
      sample('b', 1, 1, -0.01),
      sample('b', 1, 1, Number.POSITIVE_INFINITY),
      { group: 'b', at: 0.5, mean: Number.POSITIVE_INFINITY, logSd: 0.01, actual: 3 },
      { group: 'b', at: 0.5, mean: 3, logSd: 0.01, actual: Number.NaN },
    ];
    const r = estimateErrorCorrelation({ samples, coverage: 0.5 });
    expect(r.runs).toBe(9);
    expect(r.pairs).toBe(6);
    expect(r.pairedQuantile).toBeCloseTo(2 * Math.SQRT2, 9);
    // Marginal |z| of the 9 runs: 0 0 0 1 1 3 1 5 3; level 0.5 * 10 / 9 * 9 = 5: the 5th smallest, 1.
    expect(r.marginalQuantile).toBeCloseTo(1, 9);
    // rho = 1 - (q_p / q_m)^2 = 1 - 8 < 0: no pairing benefit.
    expect(r.correlation).toBe(0);
  });

  it('needs 8 runs in paired cells: 7 give no estimate, 8 do', () => {
    const pairOf = (g: string, z: number) => [sample(g, z), sample(g, z)];
    // Each pair's errors are equal: paired differences 0, so rho = 1 - 0 = 1, clamped to 0.9.
    const eight = ['a', 'b', 'c', 'd'].flatMap((g, i) => pairOf(g, i + 1));
    const r8 = estimateErrorCorrelation({ samples: eight });
    expect(r8.runs).toBe(8);
    expect(r8.correlation).toBe(0.9);
    expect(r8.marginalQuantile).toBeCloseTo(4, 9);
    const seven = estimateErrorCorrelation({
      samples: [...pairOf('a', 1), sample('a', 1), ...pairOf('b', 2), ...pairOf('c', 3)],
    });
    expect(seven.runs).toBe(7);
    expect(seven).toMatchObject({
      correlation: 0,
      scale: 1,
      marginalQuantile: 0,
      pairedQuantile: 0,
    });
  });

  it('forecasts without any error give no correlation and a unit scale, not NaN', () => {
    const exact = ['a', 'b', 'c', 'd'].flatMap((g) => [sample(g, 0), sample(g, 0)]);
    const r = estimateErrorCorrelation({ samples: exact });
    expect(r).toEqual({
      correlation: 0,
      scale: 1,
      marginalQuantile: 0,
      pairedQuantile: 0,
      pairs: 4,
      runs: 8,
    });
  });
});

describe('fitWidthExponent', () => {
  it('fits the exponent through exactly two forecasts', () => {
    // width = c (remaining)^k: from remaining 8000 to 5000 the width goes 0.02 -> 0.02 (5/8)^0.7.
    const k = fitWidthExponent({
      horizon: 10_000,
      history: [
        { observedUntil: 2000, width: 0.02 },
        { observedUntil: 5000, width: 0.02 * (5 / 8) ** 0.7 },
      ],
    });
    expect(k).toBeCloseTo(0.7, 12);
    expect(
      fitWidthExponent({ horizon: 10_000, history: [{ observedUntil: 2000, width: 0.02 }] }),
    ).toBeNull();
  });
});

describe('decidableAtStep edges', () => {
  it('is never a step already observed: a band that collapses at once is decisive next step', () => {
    // exponent 1e17: rho = (gap / (z width))^(1e-17) rounds to 1, the projected step to 3000.
    expect(
      decidableAtStep({
        observedUntil: 3000,
        horizon: 12_000,
        currentWidth: 0.02,
        gap: 0.01,
        exponent: 1e17,
      }),
    ).toBe(3001);
  });
});

describe('decideStop edges', () => {
  const where = { observedUntil: 3000, horizon: 12_000 };

  it('an undecided verdict with nothing left to observe says so', () => {
    const v = decideStop({
      final: { mean: 2.6, logSd: 0.02 },
      observedUntil: 12_000,
      horizon: 12_000,
      against: { kind: 'target', target: 2.62 },
    });
    expect(v.verdict).toBe('undecided');
    expect(v.decidableAtStep).toBeNull();
    expect(v.reason).toBe(
      `P(final loss < 2.62) = ${v.probability.toFixed(3)} is between 0.050 and 0.95; not expected to become decisive before the horizon`,
    );
  });

  it('a stop against many close rivals projects no decidable step', () => {
    // The run leads each of 40 rivals by 0.4 %, but with bands of 2 % it is unlikely to beat them
    // all: stop. Against the strongest rival alone the gap is inside the band (not yet decisive),
    // yet a decided verdict has no step to wait for.
    const others = Array.from({ length: 40 }, () => ({ mean: 2.41, logSd: 0.02 }));
    const v = decideStop({
      final: { mean: 2.4, logSd: 0.02 },
      ...where,
      against: { kind: 'best', others },
    });
    expect(v.verdict).toBe('stop');
    expect(v.decidableAtStep).toBeNull();
    expect(
      decidableAtStep({ ...where, currentWidth: Math.SQRT2 * 0.02, gap: Math.log(2.4 / 2.41) }),
    ).not.toBeNull();
  });

  it('the strongest of tied rivals is the first listed', () => {
    const final = { mean: 2.6, logSd: 0.02 };
    const narrow = { mean: 2.61, logSd: 0.005 };
    const wide = { mean: 2.61, logSd: 0.04 };
    const v = decideStop({ final, ...where, against: { kind: 'best', others: [narrow, wide] } });
    expect(v.verdict).toBe('undecided');
    expect(v.decidableAtStep).toBe(
      decidableAtStep({
        ...where,
        currentWidth: Math.hypot(0.02, 0.005),
        gap: Math.log(2.6 / 2.61),
      }),
    );
  });
});

describe('probabilities edges', () => {
  it('point masses: a tie counts half, above loses, below wins', () => {
    const at = (mean: number) => ({ mean, logSd: 0 });
    expect(probBeatsBest({ run: at(2.5), others: [at(2.5)] })).toBe(0.5);
    expect(probBeatsBest({ run: at(2.5), others: [at(2.4)] })).toBe(0);
    expect(probBeatsBest({ run: at(2.5), others: [at(2.6), at(2.5)] })).toBe(0.5);
  });

  it('a point-mass rival cuts the integral exactly: P(run < c) = Phi((log c - mu) / sd)', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    for (const c of [2.4, 2.43]) {
      expect(probBeatsBest({ run, others: [{ mean: c, logSd: 0 }] })).toBeCloseTo(
        normalCdf(Math.log(c / 2.4) / 0.02),
        9,
      );
    }
  });

  it('independent with one rival: the integral equals the closed form probBeats to 1e-12', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    const other = { mean: 2.43, logSd: 0.015 };
    expect(probBeatsBest({ run, others: [other], correlation: 0 })).toBeCloseTo(
      probBeats({ a: run, b: other }),
      12,
    );
  });

  it('rounds an odd node count up to even (Simpson): 7 nodes is the 8-node rule', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    const others = [{ mean: 2.43, logSd: 0.015 }];
    const eight = probBeatsBest({ run, others, nodes: 8 });
    expect(eight).toBeGreaterThan(0);
    expect(eight).toBeLessThan(1);
    expect(probBeatsBest({ run, others, nodes: 7 })).toBe(eight);
    expect(probBeatsBest({ run, others, nodes: 6 })).not.toBe(eight);
  });

  it('with no rivals the run is the best for sure, whatever the correlation', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    expect(probBeatsBest({ run, others: [], correlation: 0.5 })).toBe(1);
  });

  it('accepts a correlation of exactly 1 (one shared error) and refuses above it', () => {
    const run = { mean: 2.4, logSd: 0.02 };
    const others = [{ mean: 2.43, logSd: 0.02 }];
    // Equal widths and one shared error: the order never changes, the leader always wins (the
    // factor quadrature over [-6, 6] keeps all but ~2e-9 of the mass).
    expect(probBeatsBest({ run, others, correlation: 1 })).toBeCloseTo(1, 8);
    expect(() => probBeatsBest({ run, others, correlation: 1.5 })).toThrow(
      /correlation must be in \[0, 1\] \(got 1.5\)/,
    );
  });

  it('names the offending distribution', () => {
    const ok = { mean: 2.4, logSd: 0.02 };
    expect(() => probBeatsBest({ run: { mean: -1, logSd: 0.02 }, others: [ok] })).toThrow(
      /^run\.mean must be a finite positive loss \(got -1\)$/,
    );
    expect(() => probBeatsBest({ run: ok, others: [ok, { mean: 2.5, logSd: -1 }] })).toThrow(
      /^others\[1\]\.logSd must be finite and >= 0 \(got -1\)$/,
    );
  });

  it('ignores an inverted band, even one with a non-positive upper end', () => {
    expect(computeEffectiveLogSd({ mean: 2.5, logSd: 0.01, lo80: 2.6, hi80: -1 })).toBe(0.01);
    expect(computeEffectiveLogSd({ mean: 2.5, logSd: 0.01, lo95: 2.6, hi95: 2.4 })).toBe(0.01);
  });
});

describe('normal functions at their published precision', () => {
  it('erf keeps its relative precision near 0 (no 1 - erfc cancellation)', () => {
    // erf(x) = 2 x / sqrt(pi) (1 - x^2 / 3 + ...): at 1e-10 the series is exact to 1e-20.
    const x = 1e-10;
    expect(Math.abs(erf(x) / ((2 / Math.sqrt(Math.PI)) * x) - 1)).toBeLessThan(1e-15);
  });

  it('the far-tail quantile is exact to 1e-14 (mpmath at 400 digits: -37.047096299361199)', () => {
    expect(Math.abs(normalQuantile(1e-300) / -37.0470962993612 - 1)).toBeLessThan(1e-14);
  });
});
