/**
 * Split-conformal calibration of the forecast bands from backtests of finished runs (METHODS §6.2
 * layer 4). For every (model, cut) the standardised errors z = |log(actual / mean)| / rawLogSd are
 * collected; the conformal quantile ceil((n + 1) q) / n of z divided by the normal quantile is the
 * factor that widens (or narrows) the model's raw band. forecast() accepts the result.
 */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

export type CalibrationEntry = {
  model: string;
  /** Cut fraction of the planned steps; -1 for the entry pooled over every cut. */
  at: number;
  n: number;
  scale80: number;
  scale95: number;
};

export type Calibration = { kind: 'runcast-calibration'; entries: CalibrationEntry[] };

/** One backtest cut as calibrate() needs it (backtest() cuts carry these fields). */
export type CalibrationSample = {
  model: string;
  at: number;
  mean: number;
  rawLogSd: number;
  actual: number;
  /** A cut that is not a forecast (backtest.ts BacktestCut.skipped): never counted. */
  skipped?: string;
};

/** Fewest samples for a (model, cut) entry. */
const MIN_SAMPLES = 8;

function conformalQuantile(sorted: number[], q: number): number {
  const n = sorted.length;
  const k = Math.ceil((n + 1) * q);
  // Beyond the sample: extrapolate from the maximum rather than pretend it is covered.
  return k > n ? sorted[n - 1]! * (1 + (k - n) / n) : sorted[k - 1]!;
}

function summarise(model: string, at: number, zs: number[]): CalibrationEntry | null {
  if (zs.length < MIN_SAMPLES) return null;
  const s = [...zs].sort((a, b) => a - b);
  const clamp = (v: number) => Math.min(Math.max(v, 0.25), 50);
  return {
    model,
    at,
    n: s.length,
    scale80: clamp(conformalQuantile(s, 0.8) / Z80),
    scale95: clamp(conformalQuantile(s, 0.95) / Z95),
  };
}

export function calibrate(options: {
  backtests: ReadonlyArray<
    { cuts: ReadonlyArray<CalibrationSample> } | ReadonlyArray<CalibrationSample>
  >;
}): Calibration {
  const byKey = new Map<string, number[]>();
  const byModel = new Map<string, number[]>();
  for (const bt of options.backtests) {
    const cuts = 'cuts' in bt ? bt.cuts : bt;
    for (const c of cuts) {
      if (c.skipped) continue;
      if (!(c.rawLogSd > 0) || !(c.mean > 0) || !(c.actual > 0)) continue;
      const z = Math.abs(Math.log(c.actual / c.mean)) / c.rawLogSd;
      if (!Number.isFinite(z)) continue;
      const at = Math.round(c.at * 10) / 10;
      const key = `${c.model}@${at}`;
      byKey.set(key, [...(byKey.get(key) ?? []), z]);
      byModel.set(c.model, [...(byModel.get(c.model) ?? []), z]);
    }
  }
  const entries: CalibrationEntry[] = [];
  for (const [key, zs] of byKey) {
    const [model, at] = key.split('@') as [string, string];
    const e = summarise(model, Number(at), zs);
    if (e) entries.push(e);
  }
  for (const [model, zs] of byModel) {
    const e = summarise(model, -1, zs);
    if (e) entries.push(e);
  }
  return { kind: 'runcast-calibration', entries };
}

/** The scale factors for a model at a progress fraction: nearest cut within 0.15, else pooled, else 1. */
export function findCalibrationScales(
  calibration: Calibration | undefined,
  model: string,
  progress: number,
): { scale80: number; scale95: number; source: string } {
  const none = { scale80: 1, scale95: 1, source: 'none' };
  if (!calibration) return none;
  let best: CalibrationEntry | null = null;
  for (const e of calibration.entries) {
    if (e.model !== model || e.at < 0) continue;
    if (
      Math.abs(e.at - progress) <= 0.15 &&
      (!best || Math.abs(e.at - progress) < Math.abs(best.at - progress))
    ) {
      best = e;
    }
  }
  best ??= calibration.entries.find((e) => e.model === model && e.at < 0) ?? null;
  if (!best) return none;
  return {
    scale80: best.scale80,
    scale95: best.scale95,
    source: `${best.model}@${best.at} (n=${best.n})`,
  };
}
