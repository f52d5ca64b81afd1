import type { ScheduleSpec } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { Z80, Z95 } from '../uncertainty/calibrate';
import {
  buildDistribution,
  type CurveVarianceModel,
  chooseCurveSteps,
  computeCurveVariance,
  extrapolationFraction,
} from './bands';
import { loadDevCurve } from './dev-curve.test-helpers';
import { forecast } from './forecast';
import { prepareRun } from './prepare-run';
import { spliceWhatIfSchedule } from './what-if';

// The what-if splice and the band formulas on cases small enough to write out by hand.

/** A run observed to step `observed` (loss values are irrelevant to the splice). */
function runOn(schedule: ScheduleSpec, observed: number) {
  const points = Array.from({ length: observed / 10 }, (_, i) => ({
    step: (i + 1) * 10,
    value: 3 + 10 / (i + 1),
  }));
  return prepareRun({ points, schedule });
}

const table = (rows: Array<[number, number]>, total: number): ScheduleSpec => ({
  kind: 'table',
  values: rows,
  total,
});

describe('spliceWhatIfSchedule', () => {
  // Plan: 1e-3 for 100 steps. Observed to step 40.
  const plan = table(
    [
      [0, 1e-3],
      [99, 1e-3],
    ],
    100,
  );
  const run = runOn(plan, 40);

  it('keeps the trained steps, takes the what-if LR after them, normalised by the plan peak', () => {
    const whatIf = table(
      [
        [0, 2e-3],
        [99, 2e-3],
      ],
      100,
    );
    const s = spliceWhatIfSchedule({ run, spec: whatIf });
    expect(s.horizon).toBe(100);
    expect(s.schedule.peak).toBe(1e-3);
    expect(s.schedule.eta[40]).toBe(1);
    expect(s.schedule.eta[41]).toBe(2);
    // The last step too.
    expect(s.schedule.eta[100]).toBe(2);
    expect(s.divergesAt).toBe(41);
  });

  it('finds a difference at the very last step', () => {
    const lastOnly = table(
      [
        [0, 1e-3],
        [98, 1e-3],
        [99, 5e-4],
      ],
      100,
    );
    const s = spliceWhatIfSchedule({ run, spec: lastOnly });
    expect(s.schedule.eta[99]).toBe(1);
    expect(s.schedule.eta[100]).toBe(0.5);
    expect(s.divergesAt).toBe(100);
  });

  it('the same schedule never diverges; a longer one diverges right after the plan ends', () => {
    expect(spliceWhatIfSchedule({ run, spec: plan }).divergesAt).toBeNull();
    const longer = table(
      [
        [0, 1e-3],
        [149, 1e-3],
      ],
      150,
    );
    const s = spliceWhatIfSchedule({ run, spec: longer });
    expect(s.horizon).toBe(150);
    expect(s.schedule.steps).toBe(150);
    expect(s.divergesAt).toBe(101);
    const shorter = table(
      [
        [0, 1e-3],
        [79, 1e-3],
      ],
      80,
    );
    const t = spliceWhatIfSchedule({ run, spec: shorter });
    expect(t.horizon).toBe(80);
    expect(t.divergesAt).toBe(81);
  });

  it('a what-if without a length runs to the planned total', () => {
    const s = spliceWhatIfSchedule({ run, spec: { kind: 'constant', peak: 5e-4 } });
    expect(s.horizon).toBe(100);
    expect(s.schedule.steps).toBe(100);
    expect(s.schedule.eta[100]).toBe(0.5);
    expect(s.divergesAt).toBe(41);
  });

  it('splices a long schedule on the grid, a short one exactly', () => {
    expect(spliceWhatIfSchedule({ run, spec: plan }).schedule.grid).toBeUndefined();
    const long = table(
      [
        [0, 1e-3],
        [999_999, 1e-3],
      ],
      1_000_000,
    );
    const longRun = runOn(long, 40);
    const s = spliceWhatIfSchedule({
      run: longRun,
      spec: { kind: 'cosine', peak: 1e-3, total: 1_000_000, final: 0 },
    });
    expect(s.horizon).toBe(1_000_000);
    expect(s.schedule.grid).toBeDefined();
  });
});

describe('band formulas', () => {
  it('buildDistribution: log-normal bands scaled per level, logSd the mean of both scales', () => {
    const d = buildDistribution(2, 0.01, 1.5, 2);
    expect(d.mean).toBe(2);
    expect(d.lo80).toBeCloseTo(2 * Math.exp(-Z80 * 1.5 * 0.01), 14);
    expect(d.hi80).toBeCloseTo(2 * Math.exp(Z80 * 1.5 * 0.01), 14);
    expect(d.lo95).toBeCloseTo(2 * Math.exp(-Z95 * 2 * 0.01), 14);
    expect(d.hi95).toBeCloseTo(2 * Math.exp(Z95 * 2 * 0.01), 14);
    expect(d.logSd).toBeCloseTo(0.0175, 15);
  });

  it('chooseCurveSteps: evenly spaced from the first fitted step, plus the last observed and the final', () => {
    // lo = 100; 3 even points 100, 550, 1000; then 500 and 1000: sorted, unique.
    expect(chooseCurveSteps(100, 500, 1000, 1000, 5)).toEqual([100, 500, 550, 1000]);
    // A first step past the horizon is clamped to it; steps below 1 (observed nothing) are dropped.
    expect(chooseCurveSteps(1, 0, 9, 9, 5)).toEqual([1, 5, 9]);
    expect(chooseCurveSteps(50, 30, 20, 20, 4)).toEqual([20]);
  });

  const model: CurveVarianceModel = {
    cov: Float64Array.from([4]),
    longRunFactor: 2,
    noiseVar: 0.01,
    extraFinalVar: 0.09,
    observedUntil: 100,
    finalStep: 200,
  };
  const gradLog = Float64Array.from([0.5, 0.25]);

  it('computeCurveVariance: parameter part times the long-run factor, noise, model error growing as frac^2', () => {
    // Row 1: 0.25^2 * 4 * 2 = 0.5; frac (150 - 100) / 100 = 0.5: 0.5 + 0.01 + 0.09 * 0.25.
    const half = computeCurveVariance(model, { step: 150, gradLog, row: 1 });
    expect(half.parameter).toBeCloseTo(0.5, 15);
    expect(half.total).toBeCloseTo(0.5325, 15);
    expect(extrapolationFraction(model, 150)).toBe(0.5);
    // Past the final step the fraction is capped (at 1 by default, at maxFraction when given).
    expect(computeCurveVariance(model, { step: 300, gradLog, row: 1 }).total).toBeCloseTo(0.6, 15);
    expect(
      computeCurveVariance(model, { step: 300, gradLog, row: 1, maxFraction: 2 }).total,
    ).toBeCloseTo(0.5 + 0.01 + 0.09 * 4, 15);
  });

  it("computeCurveVariance: the final's floor holds before the final step, not at it", () => {
    const floored = { ...model, floorFinalVar: 10 };
    // frac 0.5: floor 10 * 0.25 = 2.5 over the 0.5325 of the formula.
    expect(computeCurveVariance(floored, { step: 150, gradLog, row: 1 }).total).toBe(2.5);
    // frac exactly 1 (the final step): the formula's own 0.6.
    expect(computeCurveVariance(floored, { step: 200, gradLog, row: 1 }).total).toBeCloseTo(
      0.6,
      15,
    );
  });
});

describe('what-if curves of other lengths (MPL 400M constant dev curve, single-run fit)', () => {
  const constant = loadDevCurve('mpl-400M-constant_24000');
  const points = constant.points.filter((p) => p.step <= 11_000);
  const base = { points, schedule: constant.schedule, model: 'mpl' as const };
  const lengthened = (total: number): ScheduleSpec => ({ ...constant.schedule, total });

  it('a what-if of the same length carries exactly the planned curve steps, the end included', () => {
    const f = forecast({ ...base, whatIf: lengthened(24_000), finalStep: 20_000 });
    expect(f.whatIf!.curve.map((p) => p.step)).toEqual(f.curve.map((p) => p.step));
    expect(f.curve.at(-1)!.step).toBe(24_000);
  });

  it('a longer what-if extends its curve, in step order, to its own end', () => {
    const f = forecast({ ...base, whatIf: lengthened(36_000) });
    const steps = f.whatIf!.curve.map((p) => p.step);
    expect(steps.at(-1)).toBe(36_000);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    // Evenly spaced over the longer horizon: about a third of 200 points lie past the plan's end.
    expect(steps.filter((s) => s > 24_000).length).toBeGreaterThan(50);
    expect(f.whatIf!.divergesAt).toBe(24_001);
  });

  it("past the plan's end the model error keeps growing with the extrapolated fraction", () => {
    const f = forecast({ ...base, whatIf: lengthened(36_000) });
    const u = f.diagnostics.uncertainty as Record<string, number>;
    // Raw log-sd of the what-if's final (buildDistribution: logSd = sd (s80 + s95) / 2) is at least
    // noise + model error x frac^2, frac = (36000 - observed) / (24000 - observed) > 1: the parameter
    // part only adds to it. Capped at frac 1 the model error would stop at the plan's end.
    const sd = (2 * f.whatIf!.final.logSd) / (u.scale80! + u.scale95!);
    const frac = (36_000 - f.observedUntil) / (24_000 - f.observedUntil);
    expect(u.ownBacktestSd!).toBeGreaterThan(0);
    expect(sd ** 2).toBeGreaterThanOrEqual(u.noiseSd! ** 2 + u.ownBacktestSd! ** 2 * frac ** 2);
  });

  it('a shorter what-if ends its curve at its own end', () => {
    const f = forecast({ ...base, whatIf: lengthened(18_000) });
    const steps = f.whatIf!.curve.map((p) => p.step);
    expect(steps.at(-1)).toBe(18_000);
    expect(Math.max(...steps)).toBe(18_000);
  });
});
