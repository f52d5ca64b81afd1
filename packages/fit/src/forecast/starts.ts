import { createPowerLaw, type LawSpec, MPL_LAW, MTL_LAW } from '../laws/law-spec';
import type { PreparedSchedule } from '../schedule/prepare';
import { solveLevels } from './fit-law';
import type { CurveArrays } from './fit-points';

/** Exponent starts shared by the schedule-aware laws (the amplitude/offset follow by least squares). */
const ALPHA_STARTS = [0.3, 0.5, 0.8];

/** MPL starts: annealing parameters at their prior means, alpha on a small grid, L0/A by OLS. */
export function proposeMplStarts(schedule: PreparedSchedule, points: CurveArrays): Float64Array[] {
  const design = MPL_LAW.design(schedule, points.steps);
  return ALPHA_STARTS.map((alpha) => {
    const t = Float64Array.from([
      0,
      0,
      Math.log(alpha),
      Math.log(0.13),
      Math.log(0.1),
      Math.log(0.6),
      0.6,
    ]);
    solveLevels(MPL_LAW, design, points.values, t);
    return t;
  });
}

export function proposeMtlStarts(schedule: PreparedSchedule, points: CurveArrays): Float64Array[] {
  const design = MTL_LAW.design(schedule, points.steps);
  return ALPHA_STARTS.map((alpha) => {
    const t = Float64Array.from([0, 0, Math.log(alpha), Math.log(1.3e-4)]);
    solveLevels(MTL_LAW, design, points.values, t);
    return t;
  });
}

/** Power-law starts: E = 0.5/0.8/0.95 x min loss, A and alpha from a log-log regression of y - E. */
export function proposePowerStarts(points: CurveArrays): { law: LawSpec; starts: Float64Array[] } {
  const minY = Math.min(...points.values);
  const law = createPowerLaw(minY);
  const starts = [0.5, 0.8, 0.95].map((f) => {
    const E = f * minY;
    let mx = 0;
    let my = 0;
    const n = points.steps.length;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = Math.log(Math.max(points.steps[i]!, 1));
      ys[i] = Math.log(Math.max(points.values[i]! - E, 1e-9));
      mx += xs[i]!;
      my += ys[i]!;
    }
    mx /= n;
    my /= n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (xs[i]! - mx) ** 2;
      sxy += (xs[i]! - mx) * (ys[i]! - my);
    }
    const slope = sxx > 0 ? sxy / sxx : -0.5;
    const alpha = Math.min(Math.max(-slope, 0.01), 3);
    const logA = my + alpha * mx;
    return Float64Array.from([Math.log(f / (1 - f)), logA, Math.log(alpha)]);
  });
  return { law, starts };
}
