import type { ScheduleSpec } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { loadDevCurve } from './dev-curve.test-helpers';
import { forecast } from './forecast';
import { fitGroupShape } from './group-shape';

const DONORS = [
  'mpl-400M-cosine_24000',
  'mpl-400M-cosine_72000',
  'mpl-400M-wsdcon_9',
  'mpl-400M-wsdcon_18',
];

describe('what-if against real runs of the same model (MPL 400M dev curves)', () => {
  const constant = loadDevCurve('mpl-400M-constant_24000');
  // The WSD sibling (stable to 20k, exponential cooldown to 3e-5) is never shown to the forecast.
  const wsd = loadDevCurve('mpl-400M-wsd_20000_24000');
  const actual = wsd.points[wsd.points.length - 1]!;
  const ownAtEnd = constant.points.find((p) => p.step === actual.step)!;
  const shape = fitGroupShape(DONORS.map(loadDevCurve))!;
  const cut = 10_000; // half-way to the sibling's cooldown start: both runs are still at the peak LR
  const f = forecast({
    points: constant.points.filter((p) => p.step <= cut),
    lr: constant.lr.filter((p) => p.step <= cut),
    schedule: constant.schedule,
    group: { shape },
    whatIf: wsd.schedule,
    finalStep: actual.step,
  });
  const w = f.whatIf!;

  it("the constant run's what-if under the WSD sibling's schedule lands on the sibling's real final loss", () => {
    // 0.75 %: a what-if that ignored its schedule (the constant run's own end, ~3 % higher) fails.
    expect(Math.abs(w.final.mean - actual.value) / actual.value).toBeLessThan(0.0075);
    expect(w.final.lo95).toBeLessThan(actual.value);
    expect(w.final.hi95).toBeGreaterThan(actual.value);
    // The cooldown bonus itself: the real one is the sibling minus the constant run at the same step.
    const realDelta = actual.value - ownAtEnd.value;
    expect(realDelta).toBeLessThan(-0.08);
    expect(Math.abs(w.delta.mean - realDelta)).toBeLessThan(0.25 * Math.abs(realDelta));
    // Exponential cooldown from 0-based step 20000: the LR of step 20001 (1-based 20002) is the first lower.
    expect(w.divergesAt).toBe(20_002);
  });

  it('the delta band is paired: narrower than the difference of two independent forecasts, and zero before the cooldown', () => {
    const halfDelta = (w.delta.hi80 - w.delta.lo80) / 2;
    const halfW = (w.final.hi80 - w.final.lo80) / 2;
    const halfP = (f.final.hi80 - f.final.lo80) / 2;
    // Unpaired (independent errors) the half-width would be sqrt(halfW^2 + halfP^2) or more; paired,
    // the shared level error cancels and what is left is narrower than either band.
    expect(halfDelta).toBeGreaterThan(0);
    expect(halfDelta).toBeLessThan(halfW);
    expect(halfDelta).toBeLessThan(Math.hypot(halfW, halfP));
    // ...yet honest about the real cooldown bonus (the sibling minus the constant run): its error is
    // within the 95 % half-width (1.53 x the 80 % one); a band from the parameter covariance alone
    // (about +-0.001 here) is not.
    const realDelta = actual.value - ownAtEnd.value;
    expect(Math.abs(w.delta.mean - realDelta)).toBeLessThan(1.53 * halfDelta);
    // Symmetric around the point delta, in loss units.
    expect(w.delta.hi80 - w.delta.mean).toBeCloseTo(w.delta.mean - w.delta.lo80, 12);
    for (const p of w.curve.filter((q) => q.step < 20_002)) {
      expect(p.delta).toBe(0);
      expect(p.deltaLo80).toBe(0);
      expect(p.deltaHi80).toBe(0);
    }
    // The curve carries the what-if's final step, and there its delta is the headline one.
    const atFinal = w.curve.find((q) => q.step === actual.step)!;
    expect(atFinal.delta).toBeCloseTo(w.delta.mean, 12);
    expect(atFinal.deltaHi80! - atFinal.delta!).toBeCloseTo(halfDelta, 12);
    expect(atFinal.delta! - atFinal.deltaLo80!).toBeCloseTo(halfDelta, 12);
    // ...and its band is the headline final's: the same variance, schedule spread included.
    expect(atFinal.lo80).toBeCloseTo(w.final.lo80, 12);
    expect(atFinal.hi95).toBeCloseTo(w.final.hi95, 12);
  });

  it('a shape read back from JSON (another process, a cache) gives the same band when given its donors', () => {
    const copy = JSON.parse(JSON.stringify(shape)) as typeof shape;
    const options = {
      points: constant.points.filter((p) => p.step <= cut),
      lr: constant.lr.filter((p) => p.step <= cut),
      schedule: constant.schedule,
      whatIf: wsd.schedule,
      finalStep: actual.step,
    };
    const withDonors = forecast({
      ...options,
      group: { shape: copy, donors: DONORS.map(loadDevCurve), joint: false },
    }).whatIf!;
    expect(withDonors.delta.mean).toBeCloseTo(w.delta.mean, 12);
    expect(withDonors.delta.hi80).toBeCloseTo(w.delta.hi80, 9);
    // Without them only the parameter covariance is left: a much narrower (overconfident) band.
    const fresh = JSON.parse(JSON.stringify(shape)) as typeof shape;
    const alone = forecast({ ...options, group: { shape: fresh } }).whatIf!;
    expect(alone.delta.hi80 - alone.delta.mean).toBeLessThan(0.5 * (w.delta.hi80 - w.delta.mean));
  });
});

describe('what-if keeps the trained past', () => {
  it('a what-if spec that disagrees with the observed part (another warmup) changes only the future', () => {
    const constant = loadDevCurve('mpl-400M-constant_24000');
    const points = constant.points.filter((p) => p.step <= 11_000);
    // Warmup 0 instead of 2160: before the fix the whole what-if curve was offset from the plan.
    const whatIf: ScheduleSpec = {
      kind: 'wsd',
      peak: 3e-4,
      total: 24_000,
      decay: 12_300,
      shape: 'linear',
      final: 0,
    };
    const f = forecast({ points, schedule: constant.schedule, model: 'mpl', whatIf });
    const w = f.whatIf!;
    expect(f.observedUntil).toBe(10_880);
    expect(w.divergesAt).toBe(11_702);
    const planned = new Map(f.curve.map((p) => [p.step, p]));
    let compared = 0;
    for (const p of w.curve.filter((q) => q.step < 11_702)) {
      const q = planned.get(p.step)!;
      expect(p.mean).toBe(q.mean);
      expect(p.hi80).toBe(q.hi80);
      compared++;
    }
    expect(compared).toBeGreaterThan(80);
    expect(w.final.mean).toBeLessThan(f.final.mean - 0.05);
  });
});
