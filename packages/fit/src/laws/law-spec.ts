import type { PreparedSchedule } from '../schedule/prepare';
import { designMpl, evaluateMpl, type MplDesign } from './mpl';
import { designMtl, evaluateMtl, type MtlDesign } from './mtl';
import { evaluatePower } from './power';

/**
 * A law in fit space: transformed parameters (log for positive ones) so the fitter is unconstrained,
 * with the Jacobian chained through the transforms, and weak Gaussian priors as pseudo-residuals.
 */
export type LawName = 'mpl' | 'mtl' | 'power';

export type Prior = { index: number; mean: number; sd: number };

export type LawSpec<D = unknown> = {
  name: LawName;
  /** Names of the fit-space parameters. */
  names: readonly string[];
  design(schedule: PreparedSchedule, steps: ArrayLike<number>): D;
  designSize(design: D): number;
  /** Prediction and (optional, row-major n x nParams) Jacobian in fit space. */
  evaluate(design: D, theta: Float64Array, out: Float64Array, jac: Float64Array | null): void;
  /** Raw, named parameters (normalised LR units). */
  toRaw(theta: Float64Array): Record<string, number>;
  priors: Prior[];
};

/** REFERENCE-BACKTEST priors in peak-normalised units (roughly the MPL paper's 25M-400M values). */
export const MPL_PRIORS: Prior[] = [
  { index: 3, mean: Math.log(0.13), sd: 1 },
  { index: 4, mean: Math.log(0.1), sd: 1.5 },
  { index: 5, mean: Math.log(0.6), sd: 0.7 },
  { index: 6, mean: 0.6, sd: 0.3 },
];

function chain(
  jac: Float64Array,
  n: number,
  nParams: number,
  cols: number[],
  values: number[],
): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < cols.length; c++) {
      const at = i * nParams + cols[c]!;
      jac[at] = jac[at]! * values[c]!;
    }
  }
}

/** MPL fit space: [L0, log A, log alpha, log B, log C, log beta, gamma]. */
export const MPL_LAW: LawSpec<MplDesign> = {
  name: 'mpl',
  names: ['L0', 'logA', 'logAlpha', 'logB', 'logC', 'logBeta', 'gamma'],
  design: (schedule, steps) => designMpl(schedule, steps),
  designSize: (d) => d.n,
  evaluate(design, theta, out, jac) {
    const raw = [
      theta[0]!,
      Math.exp(theta[1]!),
      Math.exp(theta[2]!),
      Math.exp(theta[3]!),
      Math.exp(theta[4]!),
      Math.exp(theta[5]!),
      theta[6]!,
    ];
    evaluateMpl(design, raw, out, jac);
    if (jac)
      chain(jac, design.n, 7, [1, 2, 3, 4, 5], [raw[1]!, raw[2]!, raw[3]!, raw[4]!, raw[5]!]);
  },
  toRaw: (t) => ({
    L0: t[0]!,
    A: Math.exp(t[1]!),
    alpha: Math.exp(t[2]!),
    B: Math.exp(t[3]!),
    C: Math.exp(t[4]!),
    beta: Math.exp(t[5]!),
    gamma: t[6]!,
  }),
  priors: MPL_PRIORS,
};

/** MTL fit space: [L0, log A, log alpha, log C]; prior log C' ~ N(log 1.3e-4, 1) (a full drop ~0.13 nats). */
export const MTL_LAW: LawSpec<MtlDesign> = {
  name: 'mtl',
  names: ['L0', 'logA', 'logAlpha', 'logC'],
  design: (schedule, steps) => designMtl(schedule, steps),
  designSize: (d) => d.n,
  evaluate(design, theta, out, jac) {
    const raw = [theta[0]!, Math.exp(theta[1]!), Math.exp(theta[2]!), Math.exp(theta[3]!)];
    evaluateMtl(design, raw, out, jac);
    if (jac) chain(jac, design.n, 4, [1, 2, 3], [raw[1]!, raw[2]!, raw[3]!]);
  },
  toRaw: (t) => ({ L0: t[0]!, A: Math.exp(t[1]!), alpha: Math.exp(t[2]!), C: Math.exp(t[3]!) }),
  priors: [{ index: 3, mean: Math.log(1.3e-4), sd: 1 }],
};

type PowerDesign = { steps: Float64Array; eCap: number };

/** Power fit space: [logit(E / cap), log A, log alpha] with cap = the minimum observed loss. */
export function createPowerLaw(eCap: number): LawSpec<PowerDesign> {
  return {
    name: 'power',
    names: ['logitE', 'logA', 'logAlpha'],
    design: (_schedule, steps) => ({ steps: Float64Array.from(steps), eCap }),
    designSize: (d) => d.steps.length,
    evaluate(design, theta, out, jac) {
      const sig = 1 / (1 + Math.exp(-theta[0]!));
      const raw = [design.eCap * sig, Math.exp(theta[1]!), Math.exp(theta[2]!)];
      evaluatePower(design.steps, raw, out, jac);
      if (jac)
        chain(
          jac,
          design.steps.length,
          3,
          [0, 1, 2],
          [design.eCap * sig * (1 - sig), raw[1]!, raw[2]!],
        );
    },
    toRaw: (t) => ({
      E: eCap / (1 + Math.exp(-t[0]!)),
      A: Math.exp(t[1]!),
      alpha: Math.exp(t[2]!),
    }),
    priors: [],
  };
}
