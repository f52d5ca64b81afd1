import { describe, expect, it } from 'vitest';
import { loadDevCurve } from '../forecast/dev-curve.test-helpers';
import { forecast } from '../forecast/forecast';
import { designMpl, evaluateMpl } from '../laws/mpl';
import { annealingAreaAt } from './annealing-area';
import { compileSchedule } from './compile';
import { prepareScheduleFromSpec } from './prepare-spec';
import { lrAt, prefixSumAt } from './schedule-grid';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
/**
 * Force the grid on normal-length schedules: cells of 12-25 steps, i.e. 1/2000 of the run (a 10M-step
 * run gets 1/65536 at the default resolution).
 */
const coarse = { exactSteps: 0, cells: 2000 };
const CURVES = [
  'mpl-400M-cosine_24000',
  'mpl-400M-wsd_20000_24000',
  'mpl-400M-wsdcon_9',
  'epfl-ann124-0.2-slimpajama-L12H12E768-wsd-sqrt0.2-lr0.001-T50000',
  'epfl-cos-zero-124m-slimpajama-L12H12E768-cos2zero-lr0.001-T25000',
];
/** Typical MPL parameters in peak-normalised units (law-spec.ts MPL_PRIORS). */
const MPL = [2.6, 0.5, 0.45, 0.13, 0.1, 0.6, 0.6];

describe('schedule grid (a long schedule at a fixed resolution)', () => {
  for (const id of CURVES) {
    it(`matches the per-step schedule on ${id}`, () => {
      const curve = loadDevCurve(id);
      const input = { spec: curve.schedule, steps: curve.total };
      const exact = prepareScheduleFromSpec(input).schedule;
      const grid = prepareScheduleFromSpec({ ...input, resolution: coarse }).schedule;
      expect(exact.grid).toBeUndefined();
      expect(grid.grid!.nodes.length).toBeLessThan(2020);
      expect(grid.warmup).toBe(exact.warmup);
      expect(grid.peak).toBe(exact.peak);
      const steps = [...curve.points.map((p) => p.step).filter((s) => s >= 1), curve.total];
      for (const s of steps) {
        expect(rel(lrAt(grid, s), exact.eta[s]!)).toBeLessThan(1e-12);
        expect(rel(prefixSumAt(grid, s), exact.P[s]!)).toBeLessThan(1e-7);
        const s2 = annealingAreaAt(exact, s);
        expect(Math.abs(annealingAreaAt(grid, s) - s2)).toBeLessThan(1e-3 * Math.max(s2, 1));
      }
      const out = [new Float64Array(steps.length), new Float64Array(steps.length)];
      evaluateMpl(designMpl(exact, steps), MPL, out[0]!);
      evaluateMpl(designMpl(grid, steps), MPL, out[1]!);
      for (let i = 0; i < steps.length; i++)
        expect(rel(out[1]![i]!, out[0]![i]!)).toBeLessThan(3e-5);
    });
  }

  it('gives the same forecast on a real WSD run cut at 60 %', () => {
    const run = loadDevCurve('mpl-400M-wsd_20000_24000');
    const options = {
      points: run.points.filter((p) => p.step <= 0.6 * run.total),
      schedule: run.schedule,
      lr: run.lr,
      model: 'mpl' as const,
    };
    const exact = forecast(options);
    const grid = forecast({ ...options, resolution: coarse });
    expect(rel(grid.final.mean, exact.final.mean)).toBeLessThan(2e-4);
    expect(rel(grid.final.hi95, exact.final.hi95)).toBeLessThan(5e-3);
  });

  it('gives the same what-if on a grid (the plan spliced with another cooldown)', () => {
    const run = loadDevCurve('mpl-400M-wsd_20000_24000');
    const options = {
      points: run.points.filter((p) => p.step <= 0.6 * run.total),
      schedule: run.schedule,
      lr: run.lr,
      model: 'mpl' as const,
      whatIf: {
        kind: 'wsd' as const,
        peak: 3e-4,
        warmup: 2160,
        total: 24_000,
        decay: 0.3,
        final: 3e-5,
      },
    };
    const exact = forecast(options).whatIf!;
    const grid = forecast({ ...options, resolution: coarse }).whatIf!;
    expect(rel(grid.final.mean, exact.final.mean)).toBeLessThan(2e-4);
    expect(grid.divergesAt).toBe(exact.divergesAt);
  });

  it('keeps a step schedule exact (its drops are cell boundaries)', () => {
    const spec = {
      kind: 'step' as const,
      peak: 1e-3,
      warmup: 100,
      total: 30_000,
      milestones: [10_001, 20_003],
      gamma: 0.3,
    };
    const eta = compileSchedule(spec);
    const grid = prepareScheduleFromSpec({ spec, steps: 30_000, resolution: coarse }).schedule;
    expect(grid.drops.count).toBe(2);
    for (const s of [50, 100, 10_001, 10_002, 10_500, 20_004, 30_000]) {
      let p = 0;
      for (let k = 1; k <= s; k++) p += eta[k]! / 1e-3;
      expect(rel(prefixSumAt(grid, s), p)).toBeLessThan(1e-12);
    }
  });

  it('prepares a 10M-step cosine with logged LR in bounded memory', () => {
    const spec = { kind: 'cosine' as const, peak: 3e-4, warmup: 2000, total: 10_000_000 };
    const lr = Array.from({ length: 500 }, (_, i) => ({ step: i * 1000, value: 3e-4 * 0.9 }));
    const { schedule, usedLoggedLr } = prepareScheduleFromSpec({ spec, steps: 10_000_000, lr });
    expect(usedLoggedLr).toBe(true);
    expect(schedule.grid!.nodes.length).toBeLessThan(70_000);
    expect(schedule.drops.count).toBeLessThan(140_000);
    // Half the cosine's area, the logged part at 0.9 of the peak, warmup ~ half its steps.
    const total = prefixSumAt(schedule, 10_000_000);
    expect(total).toBeGreaterThan(0.45 * 10_000_000);
    expect(total).toBeLessThan(0.5 * 10_000_000);
    expect(lrAt(schedule, 100_000) * schedule.peak).toBeCloseTo(2.7e-4, 15);
  });
});
