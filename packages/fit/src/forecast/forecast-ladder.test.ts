import { Forecast, RuncastError } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { loadDevCurve } from './dev-curve.test-helpers';
import { forecast } from './forecast';

/**
 * The fit ladder (forecast-ladder.ts): MPL -> MTL -> power -> the last value with a wide band,
 * each passed-over rung named in diagnostics.ladder.
 */

/**
 * A fine-tune: the loss falls from ~1.5 towards 2e-4 (it memorises its small data set) while the
 * LR decays linearly to zero over 1000 steps (HF Trainer's default schedule), seen to step 600.
 * The decay is exponential, not a power law to a floor: MPL and MTL fit a negative floor and their
 * forecast goes non-finite; the power law (its floor is bounded by the lowest loss) answers.
 */
function fineTune() {
  const points: { step: number; value: number }[] = [];
  for (let s = 10; s <= 600; s += 10)
    points.push({ step: s, value: 2e-4 + 1.5 * Math.exp(-s / 60) * (1 + 0.05 * Math.sin(s)) });
  return {
    points,
    lr: points.map((p) => ({ step: p.step, value: 5e-5 * (1 - p.step / 1000) })),
    schedule: { kind: 'linear' as const, peak: 5e-5, total: 1000, final: 0 },
  };
}

type Ladder = { model: string; failed: string }[];

describe('the fit ladder', () => {
  it('falls from MPL past MTL to the power law on a fine-tune whose loss goes to 2e-4', () => {
    const run = fineTune();
    const f = forecast({ ...run, model: 'mpl' });
    expect(Forecast.safeParse(f).success).toBe(true);
    expect(f.model).toBe('power');
    const ladder = f.diagnostics.ladder as Ladder;
    expect(ladder.map((l) => l.model)).toEqual(['mpl', 'mtl']);
    for (const l of ladder) expect(l.failed).toMatch(/non-finite|negative/);
    expect(f.diagnostics.fallback).toBe('power');
    expect(String(f.diagnostics.reason)).toMatch(/^fit ladder: fell back to power after mpl/);
    // A finite, positive forecast whose band contains the loss it is heading for.
    expect(f.final.lo95).toBeGreaterThan(0);
    expect(f.final.lo95).toBeLessThan(2e-4 * 1.05);
    expect(f.final.hi95).toBeGreaterThan(2e-4);
    // Without the ladder the same request fails as it used to.
    expect(() => forecast({ ...run, model: 'mpl', fallback: false })).toThrow(/non-finite/);
  });

  it('ends at the last value with a wide band when no law can be fitted', () => {
    // A real curve seen only within a (declared) warmup: no point after warmup for any law.
    const cosine = loadDevCurve('mpl-400M-cosine_24000');
    const schedule = { kind: 'cosine' as const, peak: 3e-4, warmup: 5000, total: 24000 };
    const early = cosine.points.filter((p) => p.step <= 4000);
    const lastSeen = early[early.length - 1]!.value;
    const f = forecast({ points: early, schedule });
    expect(f.model).toBe('last');
    const ladder = f.diagnostics.ladder as Ladder;
    expect(ladder.length).toBeGreaterThanOrEqual(2);
    for (const l of ladder) expect(l.failed).toMatch(/needs at least 4 loss points/);
    // The mean is the last value; the band spans the recent trend carried to the horizon, which
    // (a power-law decline) reaches below the real final loss of this run.
    expect(Math.abs(Math.log(f.final.mean / lastSeen))).toBeLessThan(0.01);
    const real = cosine.points[cosine.points.length - 1]!.value;
    expect(f.final.lo95).toBeLessThan(real);
    expect(f.final.hi95).toBeGreaterThan(f.final.mean);
    expect(f.curve.every((c) => c.lo95 <= c.mean && c.mean <= c.hi95)).toBe(true);
  });

  it('refuses a metric that goes negative, naming the step', () => {
    const points = [3, 1, -0.5, -2, -2.5].map((value, i) => ({ step: 100 * (i + 1), value }));
    const call = () =>
      forecast({ points, schedule: { kind: 'constant', peak: 1e-3, total: 1000 } });
    expect(call).toThrow(RuncastError);
    expect(call).toThrow(/goes negative \(-2\.5 at step 500\)/);
  });
});
