import { describe, expect, it } from 'vitest';
import { loadDevCurve } from './dev-curve.test-helpers';
import { fitGroupJoint } from './fit-group-joint';
import { computeLevelPrior, fitGroupTarget, MIN_OWN_LEVEL_POINTS } from './fit-group-target';
import { fitGroupShape } from './group-shape';
import { prepareRun, selectRunFitPoints } from './prepare-run';

describe('level prior of a target with too few own points', () => {
  // A 3000-step cosine run cut at 20 %: two fit points after warmup, as many as its two levels.
  const donors = [
    'epfl-sl-slimpajama-L8H6E384-cos10pct-lr0.002-T7000',
    'epfl-sl-slimpajama-L8H6E384-cos10pct-lr0.002-T10000',
    'epfl-sl-slimpajama-L8H6E384-const-lr0.001-T10000',
  ].map(loadDevCurve);
  const target = loadDevCurve('epfl-sl-slimpajama-L8H6E384-cos10pct-lr0.002-T3000');
  const shape = fitGroupShape(donors)!;
  const run = prepareRun({
    points: target.points.filter((p) => p.step <= 0.2 * target.total),
    schedule: target.schedule,
  });
  const points = selectRunFitPoints(run, { maxPoints: 120 });

  it('pins A to the same-peak donors and fits only L0 when the data cannot check both', () => {
    expect(points.steps.length).toBeLessThan(MIN_OWN_LEVEL_POINTS);
    const loose = computeLevelPrior(shape, run.schedule.peak)!;
    const pinned = computeLevelPrior(shape, run.schedule.peak, points.steps.length)!;
    expect(pinned.mean).toEqual(loose.mean);
    expect(pinned.sd[0]).toBe(loose.sd[0]);
    expect(pinned.sd[1]).toBeLessThan(loose.sd[1] / 100);
    // Enough own points: the prior stays the donors' spread.
    expect(computeLevelPrior(shape, run.schedule.peak, MIN_OWN_LEVEL_POINTS)).toEqual(loose);

    const fit = fitGroupTarget({ shape, schedule: run.schedule, points });
    expect(Math.abs(fit.theta[1]! - pinned.mean[1])).toBeLessThan(0.01);
    // The two points' slope no longer moves A (joint path: A tied to the refitted same-peak donors).
    const steeper = { steps: points.steps, values: Float64Array.from(points.values) };
    steeper.values[0] = steeper.values[0]! * 1.01;
    const joint = fitGroupJoint({ donors, shape, target: { run, points } });
    const jointSteeper = fitGroupJoint({ donors, shape, target: { run, points: steeper } });
    expect(Math.abs(jointSteeper[1]! - joint[1]!)).toBeLessThan(0.005);
    const fitSteeper = fitGroupTarget({ shape, schedule: run.schedule, points: steeper });
    expect(Math.abs(fitSteeper.theta[1]! - fit.theta[1]!)).toBeLessThan(0.001);
    expect(fitSteeper.theta[0]!).not.toBeCloseTo(fit.theta[0]!, 4);
    // Only L0 is left to the two points: it still follows the data.
    const last = points.values[points.values.length - 1]!;
    expect(Number.isFinite(fit.theta[0]!)).toBe(true);
    expect(Math.abs(fit.residuals[fit.residuals.length - 1]!)).toBeLessThan(0.05 * last);
  });
});
