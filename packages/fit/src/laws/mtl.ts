import { annealingAreaAt, MTL_LAMBDA } from '../schedule/annealing-area';
import type { PreparedSchedule } from '../schedule/prepare';
import { prefixSumAt } from '../schedule/schedule-grid';

/**
 * LR-annealing law (Tissue et al. 2024, "MTL"): L(s) = L0 + A P[s]^-alpha - C S2(s), S2 after warmup,
 * lambda = 0.999 per step, normalised LR units. Parameter order: [L0, A, alpha, C].
 */
export const MTL_PARAMS = ['L0', 'A', 'alpha', 'C'] as const;

export type MtlDesign = { n: number; steps: Float64Array; logP: Float64Array; s2: Float64Array };

export function designMtl(
  schedule: PreparedSchedule,
  steps: ArrayLike<number>,
  lambda = MTL_LAMBDA,
): MtlDesign {
  const n = steps.length;
  const d: MtlDesign = {
    n,
    steps: new Float64Array(n),
    logP: new Float64Array(n),
    s2: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = Math.min(Math.max(1, Math.round(steps[i]!)), schedule.steps);
    d.steps[i] = s;
    d.logP[i] = Math.log(Math.max(prefixSumAt(schedule, s), 1e-300));
    d.s2[i] = annealingAreaAt(schedule, s, lambda);
  }
  return d;
}

export function evaluateMtl(
  design: MtlDesign,
  p: ArrayLike<number>,
  out: Float64Array,
  jac: Float64Array | null = null,
): void {
  const [L0, A, alpha, C] = [p[0]!, p[1]!, p[2]!, p[3]!];
  for (let i = 0; i < design.n; i++) {
    const powA = Math.exp(-alpha * design.logP[i]!);
    out[i] = L0 + A * powA - C * design.s2[i]!;
    if (jac) {
      const r = i * 4;
      jac[r] = 1;
      jac[r + 1] = powA;
      jac[r + 2] = -A * powA * design.logP[i]!;
      jac[r + 3] = -design.s2[i]!;
    }
  }
}
