/**
 * Schedule-blind baseline L(t) = E + A t^-alpha over the optimizer step t. Parameter order [E, A, alpha].
 */
export const POWER_PARAMS = ['E', 'A', 'alpha'] as const;

export function evaluatePower(
  steps: Float64Array,
  p: ArrayLike<number>,
  out: Float64Array,
  jac: Float64Array | null = null,
): void {
  const [E, A, alpha] = [p[0]!, p[1]!, p[2]!];
  for (let i = 0; i < steps.length; i++) {
    const lt = Math.log(Math.max(steps[i]!, 1));
    const pw = Math.exp(-alpha * lt);
    out[i] = E + A * pw;
    if (jac) {
      jac[i * 3] = 1;
      jac[i * 3 + 1] = pw;
      jac[i * 3 + 2] = -A * pw * lt;
    }
  }
}
