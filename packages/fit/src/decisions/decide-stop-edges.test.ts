import { describe, expect, it } from 'vitest';
import { decidableAtStep } from './decidable-at-step';
import { decideStop } from './decide-stop';
import { fitWidthExponent } from './fit-width-exponent';
import { normalCdf, normalQuantile } from './normal';
import { computeEffectiveLogSd, probBeats, probBelow } from './probabilities';

// Values worked out from the log-normal model by hand: log(final) ~ N(log(mean), logSd^2), so
// P(final < target) = Phi((log target - log mean) / logSd), and the difference of two log-losses
// with correlation rho has s.d. sqrt(s^2 + o^2 - 2 rho s o).

describe('decideStop reasons and probabilities, worked by hand', () => {
  const where = { observedUntil: 3000, horizon: 12_000 };

  it('against a target: P = Phi(log(target / mean) / logSd), in the reason to 3 decimals', () => {
    const final = { mean: 2.6, logSd: 0.02 };
    const v = decideStop({ final, ...where, against: { kind: 'target', target: 2.62 } });
    const p = normalCdf(Math.log(2.62 / 2.6) / 0.02);
    expect(v.probability).toBeCloseTo(p, 14);
    expect(v.verdict).toBe('undecided');
    expect(v.reason).toBe(
      `P(final loss < 2.62) = ${p.toFixed(3)} is between 0.050 and 0.95; expected to become decisive near step ${v.decidableAtStep}`,
    );
    // The step is where the band, shrinking as (remaining)^0.65, clears the log gap.
    const z = normalQuantile(0.95);
    const rho = (Math.log(2.62 / 2.6) / (z * 0.02)) ** (1 / 0.65);
    expect(v.decidableAtStep).toBe(Math.ceil(12_000 - rho * 9000));
  });

  it('writes tiny probabilities in exponent form and the stop bar as 1 - confidence', () => {
    const v = decideStop({
      final: { mean: 3, logSd: 0.01 },
      ...where,
      against: { kind: 'target', target: 2.9 },
      confidence: 0.9,
    });
    expect(v.verdict).toBe('stop');
    expect(v.reason).toBe(`P(final loss < 2.9) = ${v.probability.toExponential(1)} < 0.100: stop`);
    const sure = decideStop({
      final: { mean: 3, logSd: 0.01 },
      ...where,
      against: { kind: 'target', target: 3.2 },
    });
    expect(sure.reason).toBe(
      `P(final loss < 3.2) = ${sure.probability.toFixed(3)} >= 0.95: continue`,
    );
    expect(sure.decidableAtStep).toBeNull();
  });

  it('against a run: the paired width uses the correlation (larger rho, smaller width, sooner)', () => {
    const final = { mean: 2.6, logSd: 0.02 };
    const other = { mean: 2.61, logSd: 0.02 };
    const independent = decideStop({ final, ...where, against: { kind: 'run', other } });
    const paired = decideStop({
      final,
      ...where,
      against: { kind: 'run', other, correlation: 0.5 },
    });
    const gap = Math.log(2.61 / 2.6);
    expect(independent.probability).toBeCloseTo(normalCdf(gap / Math.sqrt(2 * 0.02 ** 2)), 14);
    // rho = 0.5 with equal s.d.: the difference has s.d. 0.02 exactly.
    expect(paired.probability).toBeCloseTo(normalCdf(gap / 0.02), 14);
    expect(paired.reason).toContain('P(ends below the other run)');
    expect(paired.decidableAtStep).toBe(decidableAtStep({ ...where, currentWidth: 0.02, gap }));
    expect(independent.decidableAtStep).toBe(
      decidableAtStep({ ...where, currentWidth: Math.sqrt(2) * 0.02, gap }),
    );
    expect(paired.decidableAtStep!).toBeLessThan(independent.decidableAtStep!);
  });

  it('against the best: projects against the strongest rival, with the margin and its wording', () => {
    const final = { mean: 2.6, logSd: 0.02 };
    const others = [
      { mean: 2.7, logSd: 0.02 },
      { mean: 2.61, logSd: 0.01 },
      { mean: 2.65, logSd: 0.03 },
    ];
    const v = decideStop({ final, ...where, against: { kind: 'best', others, correlation: 0.3 } });
    expect(v.reason).toContain('P(ends below all 3 other runs)');
    const width = Math.sqrt(0.02 ** 2 + 0.01 ** 2 - 2 * 0.3 * 0.02 * 0.01);
    expect(v.verdict).toBe('undecided');
    expect(v.decidableAtStep).toBe(
      decidableAtStep({ ...where, currentWidth: width, gap: Math.log(2.6 / 2.61) }),
    );
    const withMargin = decideStop({
      final,
      ...where,
      against: { kind: 'best', others, margin: 0.01 },
    });
    expect(withMargin.reason).toContain('ends within 1.0 % of all 3 other runs or below');
    expect(withMargin.probability).toBeGreaterThan(v.probability);
    expect(() =>
      decideStop({ final, ...where, against: { kind: 'best', others, margin: -0.01 } }),
    ).toThrow(/margin must be finite and >= 0 \(got -0.01\)/);
    // No rivals: the run is the best by definition.
    const alone = decideStop({ final, ...where, against: { kind: 'best', others: [] } });
    expect(alone).toMatchObject({ verdict: 'continue', probability: 1, decidableAtStep: null });
  });

  it('passes a fitted width exponent on to the projection', () => {
    const final = { mean: 2.6, logSd: 0.02 };
    const against = { kind: 'target' as const, target: 2.62 };
    const slow = decideStop({ final, ...where, against, widthExponent: 0.3 });
    const fast = decideStop({ final, ...where, against, widthExponent: 2 });
    expect(fast.decidableAtStep!).toBeLessThan(slow.decidableAtStep!);
    expect(fast.decidableAtStep).toBe(
      decidableAtStep({ ...where, currentWidth: 0.02, gap: Math.log(2.6 / 2.62), exponent: 2 }),
    );
  });
});

describe('decidableAtStep at its edges', () => {
  const z = normalQuantile(0.95);
  const base = { observedUntil: 2000, horizon: 10_000, currentWidth: 0.01 };

  it('is null exactly when already decisive (gap = z * width) and projects just below it', () => {
    expect(decidableAtStep({ ...base, gap: z * 0.01 })).toBeNull();
    expect(decidableAtStep({ ...base, gap: z * 0.01 * (1 - 1e-9) })).toBe(2001);
  });

  it('is null when the floor width alone keeps it undecided, at the floor exactly too', () => {
    expect(decidableAtStep({ ...base, gap: 0.005, floorWidth: 0.005 / z })).toBeNull();
    expect(decidableAtStep({ ...base, gap: 0.005, floorWidth: (0.005 / z) * 0.99 })).not.toBeNull();
  });

  it('refuses a non-positive exponent and an invalid confidence', () => {
    expect(() => decidableAtStep({ ...base, gap: 0.005, exponent: 0 })).toThrow(
      /exponent must be > 0 \(got 0\)/,
    );
    expect(() => decidableAtStep({ ...base, gap: 0.005, exponent: -1 })).toThrow(/exponent/);
    expect(() => decidableAtStep({ ...base, gap: 0.005, confidence: 0.5 })).toThrow(/confidence/);
  });

  it('never answers the current step or a step at or past the horizon', () => {
    // A fractional observed step: the answer is the next whole step at the earliest.
    expect(decidableAtStep({ ...base, observedUntil: 2000.5, gap: z * 0.01 * (1 - 1e-9) })).toBe(
      2001,
    );
    // A gap that only clears at the horizon itself: null.
    expect(decidableAtStep({ ...base, gap: 1e-9 })).toBeNull();
    expect(decidableAtStep({ ...base, horizon: 2000, gap: 0.001 })).toBeNull();
  });
});

describe('fitWidthExponent', () => {
  it('recovers k from widths that shrink as (remaining)^k and skips unusable entries', () => {
    const horizon = 10_000;
    const history = [1000, 3000, 5000, 7000].map((t) => ({
      observedUntil: t,
      width: 0.05 * ((horizon - t) / horizon) ** 0.8,
    }));
    expect(fitWidthExponent({ horizon, history })).toBeCloseTo(0.8, 12);
    const junk = [
      { observedUntil: horizon, width: 0.01 },
      { observedUntil: 4000, width: 0 },
      { observedUntil: 4000, width: Number.POSITIVE_INFINITY },
      { observedUntil: Number.NEGATIVE_INFINITY, width: 0.01 },
    ];
    expect(fitWidthExponent({ horizon, history: [...history, ...junk] })).toBeCloseTo(0.8, 12);
    // One usable entry, or widths that do not shrink: null.
    expect(fitWidthExponent({ horizon, history: [history[0]!, ...junk] })).toBeNull();
    expect(fitWidthExponent({ horizon, history: [history[0]!, { ...history[0]! }] })).toBeNull();
    const growing = history.map((h, i) => ({ ...h, width: 0.01 * (i + 1) }));
    expect(fitWidthExponent({ horizon, history: growing })).toBeNull();
  });
});

describe('probabilities at their edges', () => {
  it('widens logSd to what each present band implies, and ignores malformed bands', () => {
    const z80 = normalQuantile(0.9);
    const z95 = normalQuantile(0.975);
    const d = { mean: 3, logSd: 0.01, lo80: 2.9, hi80: 3.1 };
    expect(computeEffectiveLogSd(d)).toBeCloseTo(Math.log(3.1 / 2.9) / (2 * z80), 12);
    const d95 = { mean: 3, logSd: 0.01, lo95: 2.8, hi95: 3.2 };
    expect(computeEffectiveLogSd(d95)).toBeCloseTo(Math.log(3.2 / 2.8) / (2 * z95), 12);
    for (const bad of [
      { lo80: 0, hi80: 3.1 },
      { lo80: 3.1, hi80: 3.1 },
      { lo80: 2.9, hi80: Number.POSITIVE_INFINITY },
      { lo80: 2.9 },
    ]) {
      expect(computeEffectiveLogSd({ mean: 3, logSd: 0.01, ...bad })).toBe(0.01);
    }
    // A band narrower than logSd does not narrow it.
    expect(computeEffectiveLogSd({ mean: 3, logSd: 0.5, lo80: 2.9, hi80: 3.1 })).toBe(0.5);
  });

  it('treats targets at and beyond the edges of the loss range', () => {
    const dist = { mean: 3, logSd: 0.1 };
    expect(probBelow({ dist, target: 0 })).toBe(0);
    expect(probBelow({ dist, target: -1 })).toBe(0);
    expect(probBelow({ dist, target: Number.POSITIVE_INFINITY })).toBe(1);
    expect(probBelow({ dist, target: 3 })).toBe(0.5);
    expect(() => probBelow({ dist, target: Number.NaN })).toThrow(
      'target must be a number (got NaN)',
    );
    // A point mass: below, above, and a tie that counts half.
    const point = { mean: 3, logSd: 0 };
    expect(probBelow({ dist: point, target: 3.0001 })).toBe(1);
    expect(probBelow({ dist: point, target: 2.9999 })).toBe(0);
    expect(probBelow({ dist: point, target: 3 })).toBe(0.5);
    expect(() => probBelow({ dist: { mean: 0, logSd: 0.1 }, target: 1 })).toThrow(
      'dist.mean must be a finite positive loss (got 0)',
    );
    expect(() => probBelow({ dist: { mean: 3, logSd: -0.1 }, target: 1 })).toThrow(
      'dist.logSd must be finite and >= 0 (got -0.1)',
    );
    expect(() =>
      probBelow({ dist: { mean: Number.POSITIVE_INFINITY, logSd: 0.1 }, target: 1 }),
    ).toThrow(/mean/);
  });

  it('accepts correlations in [-1, 1] inclusive and names the one it refuses', () => {
    const a = { mean: 2.9, logSd: 0.02 };
    const b = { mean: 3, logSd: 0.02 };
    // rho = 1 with equal s.d.: the difference is a point mass at log(2.9/3) < 0.
    expect(probBeats({ a, b, correlation: 1 })).toBe(1);
    expect(probBeats({ a, b, correlation: -1 })).toBeCloseTo(
      normalCdf(Math.log(3 / 2.9) / 0.04),
      14,
    );
    expect(() => probBeats({ a, b, correlation: 1.0001 })).toThrow(
      'correlation must be in [-1, 1] (got 1.0001)',
    );
    expect(() => probBeats({ a, b, correlation: -1.0001 })).toThrow(/correlation/);
    expect(() => probBeats({ a: { mean: -1, logSd: 0 }, b })).toThrow(
      'a.mean must be a finite positive loss (got -1)',
    );
    expect(() => probBeats({ a, b: { mean: -1, logSd: 0 } })).toThrow(
      'b.mean must be a finite positive loss (got -1)',
    );
  });
});
