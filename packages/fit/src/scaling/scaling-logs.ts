import type { ScalingPoint } from './chinchilla-law';

/** The logs of N, D and loss of each point and its weight (bootstrap multiplicity, default 1). */
export interface ScalingLogs {
  logN: Float64Array;
  logD: Float64Array;
  logL: Float64Array;
  w: Float64Array;
  /** Sum of the weights. */
  total: number;
}

export function logScalingPoints(
  points: readonly ScalingPoint[],
  weights?: ArrayLike<number>,
): ScalingLogs {
  const n = points.length;
  const logN = new Float64Array(n);
  const logD = new Float64Array(n);
  const logL = new Float64Array(n);
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    logN[i] = Math.log(p.N);
    logD[i] = Math.log(p.D);
    logL[i] = Math.log(p.loss);
    w[i] = weights === undefined ? 1 : weights[i]!;
    total += w[i]!;
  }
  return { logN, logD, logL, w, total };
}
