import { describe, expect, it } from 'vitest';
import { decidableAtStep } from './decidable-at-step';
import { decideStop } from './decide-stop';
import { fitWidthExponent } from './fit-width-exponent';
import { normalQuantile } from './normal';
import { decideVerdict } from './verdict';
import { computeVerdictMatrix } from './verdict-matrix';

describe('decideVerdict', () => {
  it('stops below 1 - confidence, continues at >= confidence, else undecided', () => {
    expect(decideVerdict({ probability: 0.01, confidence: 0.95 })).toBe('stop');
    expect(decideVerdict({ probability: 0.06, confidence: 0.95 })).toBe('undecided');
    expect(decideVerdict({ probability: 0.5, confidence: 0.95 })).toBe('undecided');
    expect(decideVerdict({ probability: 0.95, confidence: 0.95 })).toBe('continue');
    expect(decideVerdict({ probability: 0.15, confidence: 0.8 })).toBe('stop');
    expect(() => decideVerdict({ probability: 0.5, confidence: 0.3 })).toThrow(/confidence/);
    expect(() => decideVerdict({ probability: Number.NaN })).toThrow(/probability/);
  });

  it('holds both sides of each threshold (stop is strict, continue is inclusive)', () => {
    // confidence 0.75: both bars are exact binary fractions (0.25, 0.75).
    const c = 0.75;
    expect(decideVerdict({ probability: 0.25, confidence: c })).toBe('undecided');
    expect(decideVerdict({ probability: 0.25 - 2 ** -40, confidence: c })).toBe('stop');
    expect(decideVerdict({ probability: 0.75, confidence: c })).toBe('continue');
    expect(decideVerdict({ probability: 0.75 - 2 ** -40, confidence: c })).toBe('undecided');
    expect(decideVerdict({ probability: 0, confidence: c })).toBe('stop');
    expect(decideVerdict({ probability: 1, confidence: c })).toBe('continue');
    // The default confidence is 0.95.
    expect(decideVerdict({ probability: 0.049 })).toBe('stop');
    expect(decideVerdict({ probability: 0.051 })).toBe('undecided');
    expect(decideVerdict({ probability: 0.949 })).toBe('undecided');
  });

  it('refuses probabilities outside [0, 1] and confidences outside (0.5, 1), edges included', () => {
    expect(() => decideVerdict({ probability: -1e-12 })).toThrow(/probability/);
    expect(() => decideVerdict({ probability: 1 + 1e-12 })).toThrow(/probability/);
    expect(() => decideVerdict({ probability: 0.5, confidence: 0.5 })).toThrow(/confidence/);
    expect(() => decideVerdict({ probability: 0.5, confidence: 1 })).toThrow(/confidence/);
    expect(decideVerdict({ probability: 0.5, confidence: 0.5 + 1e-9 })).toBe('undecided');
    expect(decideVerdict({ probability: 0.5, confidence: 1 - 1e-9 })).toBe('undecided');
  });
});

describe('decidableAtStep', () => {
  const z = normalQuantile(0.95);
  const width = (t: number, w0: number, t0: number, h: number, k: number) =>
    w0 * ((h - t) / (h - t0)) ** k;

  it('returns the first step where the projected band clears the gap', () => {
    const opts = { observedUntil: 2000, horizon: 10_000, currentWidth: 0.02, gap: 0.015 };
    const step = decidableAtStep(opts);
    expect(step).not.toBeNull();
    const s = step as number;
    expect(s).toBeGreaterThan(2000);
    expect(s).toBeLessThan(10_000);
    expect(z * width(s, 0.02, 2000, 10_000, 0.65)).toBeLessThanOrEqual(0.015 + 1e-15);
    expect(z * width(s - 1, 0.02, 2000, 10_000, 0.65)).toBeGreaterThan(0.015);
    // A larger gap is decidable sooner; a steeper shrink too.
    expect(decidableAtStep({ ...opts, gap: 0.025 }) as number).toBeLessThan(s);
    expect(decidableAtStep({ ...opts, exponent: 1.5 }) as number).toBeLessThan(s);
  });

  it('returns null when already decisive or never decisive', () => {
    const base = { observedUntil: 2000, horizon: 10_000, currentWidth: 0.01 };
    expect(decidableAtStep({ ...base, gap: 0.05 })).toBeNull();
    expect(decidableAtStep({ ...base, gap: 0 })).toBeNull();
    expect(decidableAtStep({ ...base, gap: 0.005, floorWidth: 0.004 })).toBeNull();
    expect(decidableAtStep({ ...base, horizon: 2000, gap: 0.005 })).toBeNull();
    expect(decidableAtStep({ ...base, gap: Number.NaN })).toBeNull();
  });
});

describe('decideStop', () => {
  const where = { observedUntil: 3000, horizon: 12_000 };

  it('stops a run that will clearly miss its target and keeps one that will clearly make it', () => {
    const final = { mean: 2.6, logSd: 0.01 };
    const miss = decideStop({ final, ...where, against: { kind: 'target', target: 2.5 } });
    expect(miss.verdict).toBe('stop');
    expect(miss.decidableAtStep).toBeNull();
    expect(miss.reason).toMatch(/stop/);
    const make = decideStop({ final, ...where, against: { kind: 'target', target: 2.7 } });
    expect(make.verdict).toBe('continue');
    expect(make.probability).toBeGreaterThan(0.95);
  });

  it('is undecided on a close call and says when it should become decisive', () => {
    const final = { mean: 2.5, logSd: 0.02 };
    const v = decideStop({
      final,
      ...where,
      against: { kind: 'run', other: { mean: 2.52, logSd: 0.02 } },
    });
    expect(v.verdict).toBe('undecided');
    expect(v.decidableAtStep).toBeGreaterThan(3000);
    expect(v.decidableAtStep).toBeLessThan(12_000);
    expect(v.reason).toContain(String(v.decidableAtStep));
  });

  it('compares against the best of several runs', () => {
    const final = { mean: 2.7, logSd: 0.01 };
    const others = [
      { mean: 2.5, logSd: 0.01 },
      { mean: 2.55, logSd: 0.01 },
    ];
    const v = decideStop({ final, ...where, against: { kind: 'best', others } });
    expect(v.verdict).toBe('stop');
    expect(v.probability).toBeLessThan(1e-6);
  });

  it('correlated forecasts separate a close pair; a margin keeps a near-best run', () => {
    const final = { mean: 2.52, logSd: 0.004 };
    const others = [{ mean: 2.5, logSd: 0.004 }];
    const independent = decideStop({ final, ...where, against: { kind: 'best', others } });
    const paired = decideStop({
      final,
      ...where,
      against: { kind: 'best', others, correlation: 0.9 },
    });
    expect(independent.verdict).toBe('undecided');
    expect(paired.verdict).toBe('stop');
    expect(paired.probability).toBeLessThan(independent.probability);
    // 0.8 % worse: beyond a 0.3 % margin it still stops, inside a 1 % margin it does not.
    const within = decideStop({
      final,
      ...where,
      against: { kind: 'best', others, correlation: 0.9, margin: 0.01 },
    });
    expect(within.verdict).not.toBe('stop');
    expect(within.reason).toContain('within 1.0 %');
    expect(
      decideStop({
        final,
        ...where,
        against: { kind: 'best', others, correlation: 0.9, margin: 0.003 },
      }).verdict,
    ).toBe('stop');
    expect(() =>
      decideStop({ final, ...where, against: { kind: 'best', others, margin: -0.1 } }),
    ).toThrow(/margin/);
  });
});

describe('computeVerdictMatrix', () => {
  it('is complementary off the diagonal and the best-probabilities sum to 1', () => {
    const m = computeVerdictMatrix({
      runs: [
        { id: 'a', final: { mean: 2.5, logSd: 0.02 } },
        { id: 'b', final: { mean: 2.52, logSd: 0.01 } },
        { id: 'c', final: { mean: 2.49, logSd: 0.03 } },
      ],
    });
    expect(m.ids).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < 3; i++) {
      expect(m.beats[i]?.[i]).toBeNull();
      for (let j = 0; j < 3; j++) {
        if (i !== j) expect((m.beats[i]?.[j] ?? 0) + (m.beats[j]?.[i] ?? 0)).toBeCloseTo(1, 12);
      }
    }
    expect(m.best.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
    expect(m.best[1]).toBeLessThan(m.best[2] as number);
  });
});

describe('fitWidthExponent', () => {
  it('recovers k from widths that follow the model, and declines when bands do not shrink', () => {
    const horizon = 10_000;
    const history = [1000, 3000, 5000, 7000].map((t) => ({
      observedUntil: t,
      width: 0.03 * ((horizon - t) / horizon) ** 0.8,
    }));
    expect(fitWidthExponent({ horizon, history })).toBeCloseTo(0.8, 12);
    const flat = history.map((h) => ({ ...h, width: 0.02 }));
    expect(fitWidthExponent({ horizon, history: flat })).toBeNull();
    expect(fitWidthExponent({ horizon, history: history.slice(0, 1) })).toBeNull();
  });
});
