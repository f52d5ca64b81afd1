/** The synthetic schedules of methods_reference.py (1-based eta, eta[0] = 0), for tests. */
export function buildReferenceWsd(): Float64Array {
  const T = 10000;
  const W = 500;
  const peak = 3e-4;
  const end = 3e-5;
  const eta = new Float64Array(T + 1);
  for (let i = 1; i <= T; i++) {
    if (i <= W) eta[i] = (peak * i) / W;
    else if (i > 8000) eta[i] = peak + (end - peak) * ((i - 8000) / (T - 8000));
    else eta[i] = peak;
  }
  return eta;
}

export function buildReferenceTwoStage(): Float64Array {
  const eta = buildReferenceWsd();
  for (let i = 501; i <= 10000; i++) eta[i] = i > 6000 ? 9e-5 : 3e-4;
  return eta;
}

export function buildReferenceCosine(): Float64Array {
  const eta = buildReferenceWsd();
  for (let i = 501; i <= 10000; i++) {
    eta[i] = 3e-5 + 0.5 * (3e-4 - 3e-5) * (1 + Math.cos((Math.PI * (i - 500)) / 9500));
  }
  return eta;
}

/** The official repo's 400M MPL parameters, absolute LR units: [L0, A, alpha, B, C, beta, gamma]. */
export const MPL_400M = [
  2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457,
];
