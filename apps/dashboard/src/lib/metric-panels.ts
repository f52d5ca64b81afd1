// The run page's small multiples: every metric the loss and LR charts do not draw, one small
// chart each on the run's x-axis, with an optional forecast for loss-like metrics.

/** Metrics a forecast makes sense for: losses, perplexities, error rates, bits per byte. */
const LOSS_LIKE = /(loss|nll|ppl|perplexity|bpb|bits_per|error|err\b|cross_?entropy)/i;

export function isLossLikeMetric(key: string): boolean {
  return LOSS_LIKE.test(key) && !/(lr|learning_rate)/i.test(key);
}

/** The run's other metrics, in key order (the drawn train/val loss and LR left out). */
export function listOtherMetrics(options: {
  keys: readonly string[];
  drawn: readonly (string | null)[];
}): string[] {
  return options.keys.filter((k) => !options.drawn.includes(k)).sort((a, b) => a.localeCompare(b));
}

/** Rows of one small chart: the metric at each x, the forecast mean and 80% band after the data. */
export function buildMetricRows(options: {
  points: readonly (readonly [number, number | null])[];
  toX: (step: number) => number;
  forecast?:
    | {
        observedUntil: number;
        curve: readonly { step: number; mean: number; lo80: number; hi80: number }[];
      }
    | undefined;
}): Array<{ x: number; value?: number; mean?: number; band80?: readonly [number, number] }> {
  const rows: Array<{
    x: number;
    value?: number;
    mean?: number;
    band80?: readonly [number, number];
  }> = [];
  for (const [step, value] of options.points) {
    if (value !== null && Number.isFinite(value)) rows.push({ x: options.toX(step), value });
  }
  for (const p of options.forecast?.curve ?? []) {
    if (p.step < options.forecast!.observedUntil) continue;
    rows.push({ x: options.toX(p.step), mean: p.mean, band80: [p.lo80, p.hi80] as const });
  }
  return rows.sort((a, b) => a.x - b.x);
}

/** Hidden metrics as kept in the URL (?mhide=a,b). */
export function readHiddenMetrics(param: string | null): Set<string> {
  return new Set((param ?? '').split(',').filter((k) => k.length > 0));
}
