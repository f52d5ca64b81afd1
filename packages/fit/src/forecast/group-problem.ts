import { MPL_PRIORS } from '../laws/law-spec';
import { designMpl, evaluateMpl, type MplDesign } from '../laws/mpl';
import type { LeastSquaresProblem } from '../optim/levenberg-marquardt';
import { PRIOR_KAPPA } from './fit-law';
import type { GroupDonor, GroupShape } from './group-shape';
import { type PreparedRun, prepareRun, selectRunFitPoints } from './prepare-run';

/**
 * The group least-squares problem shared by the donor shape fit and the joint refit: every run's
 * log residuals under the shared shape with its own (L0, log A), then the MPL priors on the shape.
 */
/** Donor points per run in the shape fit (REFERENCE-BACKTEST: 60). */
export const DONOR_POINTS = 60;
/** Shared parameters: [log alpha, log B', log C', log beta, gamma]. */
export const SHARED = 5;

export type DonorData = {
  id: string;
  run: PreparedRun;
  design: MplDesign;
  y: Float64Array;
  logY: Float64Array;
};

/** Prepared donors of a shape fitted in this process (JSON copies of a shape simply miss the cache). */
export const preparedByShape = new WeakMap<
  GroupShape,
  { donors: ReadonlyArray<GroupDonor>; data: DonorData[] }
>();

export function prepareDonors(donors: ReadonlyArray<GroupDonor>): DonorData[] {
  const out: DonorData[] = [];
  for (const [i, d] of donors.entries()) {
    let run: PreparedRun;
    try {
      run = prepareRun(d);
    } catch {
      continue; // an unusable donor is skipped, not fatal
    }
    const pts = selectRunFitPoints(run, { maxPoints: DONOR_POINTS });
    if (pts.steps.length < 4) continue;
    out.push({
      id: d.id ?? `donor-${i}`,
      run,
      design: designMpl(run.schedule, pts.steps),
      y: pts.values,
      logY: pts.values.map(Math.log),
    });
  }
  return out;
}

export function buildGroupProblem(data: DonorData[]): LeastSquaresProblem & { nData: number } {
  const R = data.length;
  const p = SHARED + 2 * R;
  const nData = data.reduce((a, d) => a + d.y.length, 0);
  const maxN = Math.max(...data.map((d) => d.y.length));
  const pred = new Float64Array(maxN);
  const pj = new Float64Array(maxN * 7);
  const raw = new Float64Array(7);
  return {
    nParams: p,
    nResiduals: nData + MPL_PRIORS.length,
    nData,
    residuals(theta, r, jac) {
      const alpha = Math.exp(theta[0]!);
      raw[2] = alpha;
      raw[3] = Math.exp(theta[1]!);
      raw[4] = Math.exp(theta[2]!);
      raw[5] = Math.exp(theta[3]!);
      raw[6] = theta[4]!;
      let row = 0;
      if (jac) jac.fill(0);
      for (let q = 0; q < R; q++) {
        const d = data[q]!;
        raw[0] = theta[SHARED + 2 * q]!;
        raw[1] = Math.exp(theta[SHARED + 2 * q + 1]!);
        evaluateMpl(d.design, raw, pred, jac ? pj : null);
        for (let i = 0; i < d.y.length; i++, row++) {
          const v = pred[i]!;
          const ok = v > 1e-12 && Number.isFinite(v);
          r[row] = Math.log(ok ? v : 1e-12) - d.logY[i]!;
          if (jac && ok) {
            const o = row * p;
            const b = i * 7;
            jac[o + SHARED + 2 * q] = pj[b]! / v;
            jac[o + SHARED + 2 * q + 1] = (pj[b + 1]! * raw[1]!) / v;
            jac[o] = (pj[b + 2]! * alpha) / v;
            jac[o + 1] = (pj[b + 3]! * raw[3]!) / v;
            jac[o + 2] = (pj[b + 4]! * raw[4]!) / v;
            jac[o + 3] = (pj[b + 5]! * raw[5]!) / v;
            jac[o + 4] = pj[b + 6]! / v;
          }
        }
      }
      for (const prior of MPL_PRIORS) {
        const at = prior.index - 2; // MPL fit-space index -> shared index
        r[row] = (PRIOR_KAPPA * (theta[at]! - prior.mean)) / prior.sd;
        if (jac) jac[row * p + at] = PRIOR_KAPPA / prior.sd;
        row++;
      }
    },
  };
}
