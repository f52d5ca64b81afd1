import type { LossDistribution } from '@runcast/core';
import { normalCdf, normalPdf } from './normal';

/**
 * Probabilities on log-normal final-loss distributions: log(loss) ~ N(log(mean), logSd^2)
 * (the contract of core's LossDistribution). A logSd of 0 is a point mass.
 * When the distribution also carries its 80 % / 95 % bands and they are wider than logSd implies
 * (calibrated, e.g. split-conformal), the band-implied s.d. is used instead: a decision is never
 * more confident than the band the user sees.
 */

type LogNormal = { mu: number; sd: number };

/** A final-loss distribution: mean and logSd, optionally the bands. */
export type DecisionDistribution = Pick<LossDistribution, 'mean' | 'logSd'> &
  Partial<Pick<LossDistribution, 'lo80' | 'hi80' | 'lo95' | 'hi95'>>;

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** max(logSd, the s.d. implied by each present band: log(hi / lo) / (2 z)). */
export function computeEffectiveLogSd(dist: DecisionDistribution): number {
  let sd = dist.logSd;
  const widen = (lo: number | undefined, hi: number | undefined, z: number) => {
    if (lo !== undefined && hi !== undefined && lo > 0 && hi > lo && Number.isFinite(hi)) {
      sd = Math.max(sd, Math.log(hi / lo) / (2 * z));
    }
  };
  widen(dist.lo80, dist.hi80, Z80);
  widen(dist.lo95, dist.hi95, Z95);
  return sd;
}

function toLogNormal(dist: DecisionDistribution, name: string): LogNormal {
  if (!(dist.mean > 0) || !Number.isFinite(dist.mean)) {
    throw new RangeError(`${name}.mean must be a finite positive loss (got ${dist.mean})`);
  }
  if (!(dist.logSd >= 0) || !Number.isFinite(dist.logSd)) {
    throw new RangeError(`${name}.logSd must be finite and >= 0 (got ${dist.logSd})`);
  }
  return { mu: Math.log(dist.mean), sd: computeEffectiveLogSd(dist) };
}

/** P(Z < z) where ties at a point mass (sd = 0, z = 0) count half. */
function probabilityBelowZero(mean: number, sd: number): number {
  if (sd === 0) return mean < 0 ? 1 : mean > 0 ? 0 : 0.5;
  return normalCdf(-mean / sd);
}

export type ProbBelowOptions = {
  dist: DecisionDistribution;
  /** The loss to get under. */
  target: number;
};

/** P(final loss < target). */
export function probBelow({ dist, target }: ProbBelowOptions): number {
  const d = toLogNormal(dist, 'dist');
  if (Number.isNaN(target)) throw new RangeError('target must be a number (got NaN)');
  if (!(target > 0)) return 0;
  if (target === Number.POSITIVE_INFINITY) return 1;
  return probabilityBelowZero(d.mu - Math.log(target), d.sd);
}

export type ProbBeatsOptions = {
  a: DecisionDistribution;
  b: DecisionDistribution;
  /** Correlation of the two log-losses in [-1, 1] (default 0: independent forecasts). */
  correlation?: number;
};

/** P(A ends below B) = P(log A - log B < 0), the difference being normal. */
export function probBeats({ a, b, correlation = 0 }: ProbBeatsOptions): number {
  if (!(correlation >= -1 && correlation <= 1)) {
    throw new RangeError(`correlation must be in [-1, 1] (got ${correlation})`);
  }
  const da = toLogNormal(a, 'a');
  const db = toLogNormal(b, 'b');
  const variance = da.sd * da.sd + db.sd * db.sd - 2 * correlation * da.sd * db.sd;
  return probabilityBelowZero(da.mu - db.mu, Math.sqrt(Math.max(0, variance)));
}

export type ProbBeatsBestOptions = {
  run: DecisionDistribution;
  others: readonly DecisionDistribution[];
  /** Simpson intervals over the run's +/-10 sd (default 2000; even). */
  nodes?: number;
  /**
   * Correlation in [0, 1] of every pair of log-losses (default 0: independent forecasts), as from
   * forecasts that share a group shape (see error-correlation.ts). One-factor model:
   * e_i = sd_i (sqrt(rho) U + sqrt(1 - rho) Z_i), U shared.
   */
  correlation?: number;
};

/** The independent case on log-normals (the inner integral of the one-factor model). */
function integrateBeatsBest(r: LogNormal, rivals: readonly LogNormal[], nodes: number): number {
  if (rivals.length === 0) return 1;
  // Point-mass rivals: ties count half when the run is a point mass too; inside the integral the
  // boundary has measure zero.
  const survival = (x: number, tie: number): number => {
    let s = 1;
    for (const o of rivals) {
      s *= o.sd === 0 ? (x < o.mu ? 1 : x > o.mu ? 0 : tie) : normalCdf((o.mu - x) / o.sd);
      if (s === 0) return 0;
    }
    return s;
  };
  if (r.sd === 0) return survival(r.mu, 0.5);
  const lo = r.mu - 10 * r.sd;
  let hi = r.mu + 10 * r.sd;
  for (const o of rivals) if (o.sd === 0) hi = Math.min(hi, o.mu);
  if (hi <= lo) return 0;
  const n = Math.max(2, nodes + (nodes % 2));
  const h = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h;
    const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * (normalPdf((x - r.mu) / r.sd) / r.sd) * survival(x, 1);
  }
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

/** Simpson intervals over the shared factor U in [-6, 6] (mass outside ~2e-9). */
const FACTOR_NODES = 48;

/**
 * P(run's final < every other run's final):
 * integral of pdf_run(x) * prod_j P(X_j > x) dx over x = log loss, by composite Simpson on
 * [mu - 10 sd, mu + 10 sd] (mass outside < 2e-23). Point-mass others cut the range at their value.
 * With a correlation rho > 0, the same integral conditional on the shared factor U (means shifted
 * by sd_i sqrt(rho) U, s.d. scaled by sqrt(1 - rho)), averaged over U ~ N(0, 1) by Simpson
 * (the inner integral then uses nodes / 10 intervals, at least 200).
 * Deterministic; no sampling.
 */
export function probBeatsBest({
  run,
  others,
  nodes = 2000,
  correlation = 0,
}: ProbBeatsBestOptions): number {
  if (!(correlation >= 0 && correlation <= 1)) {
    throw new RangeError(`correlation must be in [0, 1] (got ${correlation})`);
  }
  const r = toLogNormal(run, 'run');
  const rivals = others.map((o, i) => toLogNormal(o, `others[${i}]`));
  if (correlation === 0 || rivals.length === 0) return integrateBeatsBest(r, rivals, nodes);
  const a = Math.sqrt(correlation);
  const b = Math.sqrt(1 - correlation);
  const inner = Math.max(200, Math.round(nodes / 10));
  const h = 12 / FACTOR_NODES;
  let sum = 0;
  for (let i = 0; i <= FACTOR_NODES; i++) {
    const u = -6 + i * h;
    const weight = i === 0 || i === FACTOR_NODES ? 1 : i % 2 === 1 ? 4 : 2;
    const shift = (d: LogNormal): LogNormal => ({ mu: d.mu + d.sd * a * u, sd: d.sd * b });
    sum += weight * normalPdf(u) * integrateBeatsBest(shift(r), rivals.map(shift), inner);
  }
  return Math.min(1, Math.max(0, (sum * h) / 3));
}
