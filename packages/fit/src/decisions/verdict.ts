/**
 * The verdict rule. With P = P(success) (the run ends below the target / beats the other run)
 * and confidence c in (0.5, 1):
 *   - 'stop'      when P <  1 - c   (confident the run will NOT succeed);
 *   - 'continue'  when P >= c       (confident it will: the band is decisive in its favour);
 *   - 'undecided' otherwise         (the band straddles the bar; no stop rule fires, so a caller
 *                                    that must act keeps training).
 * On the log scale this is the same as |gap| >= z_c * width with z_c = normalQuantile(c), which is
 * what `decidableAtStep` projects forward.
 */

export type VerdictKind = 'stop' | 'continue' | 'undecided';

export type DecideVerdictOptions = {
  /** P(success) in [0, 1]. */
  probability: number;
  /** Required confidence in (0.5, 1) (default 0.95). */
  confidence?: number;
};

export function assertConfidence(confidence: number): void {
  if (!(confidence > 0.5 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0.5, 1) (got ${confidence})`);
  }
}

export function decideVerdict({
  probability,
  confidence = 0.95,
}: DecideVerdictOptions): VerdictKind {
  assertConfidence(confidence);
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`probability must be in [0, 1] (got ${probability})`);
  }
  if (probability < 1 - confidence) return 'stop';
  if (probability >= confidence) return 'continue';
  return 'undecided';
}
