import { normalQuantile } from './normal';

/**
 * How much the forecast errors of two runs of one group co-move, estimated from backtests of
 * finished runs rather than assumed.
 *
 * Runs forecast under one shared group shape (alpha, B', C', beta, gamma fitted on the same donors)
 * inherit the same shape error: if the shape over-states the cooldown bonus, every run of the group
 * is forecast too low. Their log errors e_i = log(actual_i / mean_i) co-move, and the s.d. of a
 * paired difference is sqrt(sa^2 + sb^2 - 2 rho sa sb), smaller than the independent one.
 *
 * The decision (stop when P(beats the best) < 1 - confidence) lives in the tail of the paired
 * difference, and the errors are heavy-tailed, so the correlation is read off the same split-conformal
 * quantiles the bands are calibrated with rather than off moments:
 *   - marginal: q_m = conformal `coverage` quantile of |z_i| = |e_i| / logSd_i;
 *   - paired:   q_p = conformal `coverage` quantile of |e_i - e_j| / sqrt(logSd_i^2 + logSd_j^2)
 *               over the pairs of runs of one cell (same group, same cut: one joint forecast
 *               situation), each pair weighted 1 / (n_cell - 1) so that a cell weighs in proportion to
 *               its runs, not to its pairs (a 30-run group would otherwise outweigh the rest);
 *   - rho = 1 - (q_p / q_m)^2: the correlation under which bands of calibrated width q_m logSd give
 *     the calibrated width q_p sqrt(logSd_i^2 + logSd_j^2) to a paired difference (exact for equal
 *     widths).
 * Clamped to [0, maxCorrelation] (default 0.9): a negative estimate is treated as no pairing benefit,
 * and a decision never treats two forecasts as one. Only runs of cells with at least two runs count.
 */
export type ErrorSample = {
  /** Runs sharing a group shape share a group key. */
  group: string;
  /** Cut fraction (or any key of the forecast situation). */
  at: number;
  mean: number;
  logSd: number;
  actual: number;
};

export type ErrorCorrelation = {
  correlation: number;
  /** Conformal `coverage` quantiles of the marginal and paired standardised errors. */
  marginalQuantile: number;
  pairedQuantile: number;
  /**
   * marginalQuantile / z_((1 + coverage) / 2): the factor on logSd under which a normal band of that
   * coverage is calibrated (1 without enough runs). With `coverage` = 2 confidence - 1 it calibrates
   * a one-sided decision at `confidence`: a paired difference is symmetric (the order of a pair is
   * arbitrary), so its one-sided quantile at c is the two-sided quantile of |d| at 2c - 1.
   */
  scale: number;
  /** Within-cell pairs and runs used. */
  pairs: number;
  runs: number;
};

export type EstimateErrorCorrelationOptions = {
  samples: readonly ErrorSample[];
  /** Quantile level of both conformal quantiles (default 0.95, the level of the bands). */
  coverage?: number;
  maxCorrelation?: number;
};

/** Fewest runs in paired cells for an estimate; below it the forecasts are treated as independent. */
const MIN_RUNS = 8;

/** Weighted split-conformal quantile: the smallest value whose cumulative weight reaches q (n + 1) / n. */
function weightedConformalQuantile(values: Array<{ v: number; w: number }>, q: number): number {
  const sorted = [...values].sort((a, b) => a.v - b.v);
  const total = sorted.reduce((s, x) => s + x.w, 0);
  const n = sorted.length;
  const level = Math.min(1, (q * (n + 1)) / n) * total;
  let cum = 0;
  for (const x of sorted) {
    cum += x.w;
    if (cum >= level * (1 - 1e-12)) return x.v;
  }
  return sorted[n - 1]!.v;
}

export function estimateErrorCorrelation(
  options: EstimateErrorCorrelationOptions,
): ErrorCorrelation {
  const { samples, coverage = 0.95, maxCorrelation = 0.9 } = options;
  const cellsByKey = new Map<string, Array<{ e: number; s: number }>>();
  for (const s of samples) {
    if (!(s.mean > 0) || !(s.actual > 0) || !(s.logSd > 0)) continue;
    const e = Math.log(s.actual / s.mean);
    if (!Number.isFinite(e) || !Number.isFinite(s.logSd)) continue;
    const key = `${s.group}\u0000${Math.round(s.at * 1000) / 1000}`;
    const cell = cellsByKey.get(key) ?? [];
    cell.push({ e, s: s.logSd });
    cellsByKey.set(key, cell);
  }
  const marginal: Array<{ v: number; w: number }> = [];
  const paired: Array<{ v: number; w: number }> = [];
  for (const cell of cellsByKey.values()) {
    const n = cell.length;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const a = cell[i]!;
      marginal.push({ v: Math.abs(a.e) / a.s, w: 1 });
      for (let j = i + 1; j < n; j++) {
        const b = cell[j]!;
        paired.push({ v: Math.abs(a.e - b.e) / Math.hypot(a.s, b.s), w: 1 / (n - 1) });
      }
    }
  }
  const none = { correlation: 0, pairs: paired.length, runs: marginal.length, scale: 1 };
  if (marginal.length < MIN_RUNS) return { ...none, marginalQuantile: 0, pairedQuantile: 0 };
  const marginalQuantile = weightedConformalQuantile(marginal, coverage);
  const pairedQuantile = weightedConformalQuantile(paired, coverage);
  if (!(marginalQuantile > 0)) return { ...none, marginalQuantile, pairedQuantile };
  const raw = 1 - (pairedQuantile / marginalQuantile) ** 2;
  return {
    ...none,
    scale: marginalQuantile / normalQuantile((1 + coverage) / 2),
    correlation: Math.max(0, Math.min(maxCorrelation, raw)),
    marginalQuantile,
    pairedQuantile,
  };
}
