import { createHash } from 'node:crypto';
import { isRuncastError } from '@runcast/core';
import type { Store } from '@runcast/db';
import {
  type Calibration,
  type CalibrationSample,
  calibrate,
  type ErrorCorrelation,
  type ErrorSample,
  estimateErrorCorrelation,
} from '@runcast/fit';
import type { FitPool } from '../pool/fit-pool';
import { backtestRun } from './backtest-service';
import type { ForecastService } from './forecast-service';
import { isRunComplete, type RunSummary } from './run-summary';
import type { RunsService } from './runs-service';
import type { SeriesColumnsCache } from './series-columns';

/** The standard backtest cuts (METHODS §6.2), as the fit bench calibrates. */
export const CALIBRATION_CUTS = [0.2, 0.4, 0.6, 0.8] as const;
/** At most this many finished runs are backtested, most recently updated first. */
export const DEFAULT_CALIBRATION_RUNS = 32;

export type CalibrationSampleOf = CalibrationSample & {
  runId: number;
  group: string | null;
  /** Whether the uncalibrated bands of the cut covered what happened. */
  covered80: boolean | null;
  covered95: boolean | null;
  /** Half-widths of the uncalibrated bands in units of rawLogSd (Student-t or 1 x the z-score). */
  halfWidth80: number | null;
  halfWidth95: number | null;
};

/** The last finished calibration: what forecasts and decisions use until the next one is done. */
export interface CalibrationState {
  /** Hash of the (run id, loss and LR series versions) set that was backtested. */
  key: string;
  /** Hash of the calibration entries ('none' without entries): part of the forecast cache key. */
  version: string;
  /** Null when the backtests gave no (model, cut) enough samples. */
  calibration: Calibration | null;
  /** Runs backtested (that gave at least one usable cut). */
  backtests: number;
  samples: CalibrationSampleOf[];
  /** Cuts that could not be forecast. */
  failed: number;
  computedAt: number;
  ms: number;
}

export interface CalibrationSummary {
  calibrated: boolean;
  version: string;
  backtests: number;
  samples: number;
  entries: number;
  computedAt: number | null;
  ms: number | null;
}

/**
 * The calibration a forecast of one run uses: learnt from the other runs' backtest cuts only (the
 * run's own cuts are left out, so its bands never learn from its own outcome).
 */
export interface CalibrationView {
  /** Null when the other runs' cuts give no (model, cut) entry enough samples. */
  calibration: Calibration | null;
  /** Hash of the entries (part of the forecast cache key), 'none' without entries. */
  version: string;
  /** Other finished runs whose cuts were used. */
  backtests: number;
  /** Backtest cuts used (the run's own left out). */
  samples: number;
  /** The run whose cuts were left out (null: none of the calibration's runs). */
  leftOut: number | null;
}

export interface CorrelationOf {
  value: number;
  /** 'group' (the group's own backtests) or 'pooled' (all groups' backtests). */
  source: 'group' | 'pooled';
  runs: number;
  pairs: number;
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Fewest runs in paired cells for a group's own correlation (estimateErrorCorrelation's floor). */
const MIN_CORRELATION_RUNS = 8;

/**
 * Split-conformal calibration of the served bands from the store's own finished runs, and the
 * correlation of the forecast errors of runs of one group (for should-stop against group rivals).
 *
 * The finished runs (run-summary.ts isRunComplete; at most `maxRuns`, most recently updated first)
 * are backtested at the standard cuts with the forecast service's settings (backtest-service.ts
 * backtestRun: group shape from the group's donors, never the run itself), and the cuts feed
 * @runcast/fit's calibrate() and estimateErrorCorrelation(). The result is kept in memory keyed by
 * the set of (run, series version) used: a refresh with the same set does nothing.
 *
 * refresh() never runs inside a request: each cut is a job on the fit pool (a worker thread in the
 * server; a full queue is waited out), it yields to the event loop between cuts, and requests read
 * the last finished state (current()) - or none - while it runs. The server
 * calls schedule() after writes (throttled) and at start; tests and the CLI await refresh().
 */
export function createCalibrationService(options: {
  db: Store;
  runs: RunsService;
  columns: SeriesColumnsCache;
  forecasts: ForecastService;
  pool: FitPool;
  maxRuns?: number;
}) {
  const { db, runs, columns, forecasts, pool } = options;
  const maxRuns = options.maxRuns ?? DEFAULT_CALIBRATION_RUNS;
  let state: CalibrationState | null = null;
  let running: Promise<CalibrationSummary> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const correlations = new Map<string, CorrelationOf | null>();
  const views = new Map<number, CalibrationView>();

  function summarize(): CalibrationSummary {
    return {
      calibrated: state !== null && state.calibration !== null,
      version: state?.version ?? 'none',
      backtests: state?.backtests ?? 0,
      samples: state?.samples.length ?? 0,
      entries: state?.calibration?.entries.length ?? 0,
      computedAt: state?.computedAt ?? null,
      ms: state?.ms ?? null,
    };
  }

  /** The finished runs to backtest, most recently updated first, and the key of that set. */
  async function chooseRuns(): Promise<{
    chosen: Array<{ run: RunSummary; key: string }>;
    key: string;
  }> {
    const complete: Array<{ run: RunSummary; key: string }> = [];
    for (const listed of await db.runs.list()) {
      const run = await runs.summarize(listed, listed.series);
      if (!run.lossKey || !isRunComplete(run)) continue;
      complete.push({ run, key: run.lossKey });
    }
    complete.sort((a, b) => b.run.updatedAt - a.run.updatedAt || b.run.id - a.run.id);
    const chosen = complete.slice(0, maxRuns);
    const versions: string[] = [];
    for (const { run, key } of chosen) {
      const loss = await columns.get({ runId: run.id, key });
      const lr = run.lrKey ? await columns.get({ runId: run.id, key: run.lrKey }) : undefined;
      versions.push(`${run.id}:${run.group ?? ''}:${loss?.version ?? '-'}:${lr?.version ?? '-'}`);
    }
    versions.sort();
    return { chosen, key: hashOf(versions) };
  }

  /** One cut's backtest on the pool; waits (and retries) while the pool's queue is full. */
  async function backtestCut(cut: { run: RunSummary; key: string; at: number }) {
    for (;;) {
      try {
        return await backtestRun({ forecasts, pool, run: cut.run, key: cut.key, at: [cut.at] });
      } catch (e) {
        if (!isRuncastError(e) || e.code !== 'RATE_LIMITED' || stopped) throw e;
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
  }

  async function compute(): Promise<CalibrationSummary> {
    await new Promise((resolve) => setImmediate(resolve));
    if (stopped) return summarize();
    const t0 = performance.now();
    const { chosen, key } = await chooseRuns();
    if (state?.key === key) return summarize();
    const samples: CalibrationSampleOf[] = [];
    const used = new Set<number>();
    let failed = 0;
    for (const { run, key: seriesKey } of chosen) {
      for (const at of CALIBRATION_CUTS) {
        // One cut per turn of the event loop: requests in between answer from the last state.
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped) return summarize();
        try {
          const result = await backtestCut({ run, key: seriesKey, at });
          for (const c of result.cuts) {
            // A run that ended before this share of its plan: not a forecast, nor a failure.
            if (c.skipped) continue;
            if (c.error || !(c.rawLogSd > 0) || !(c.mean > 0)) {
              failed++;
              continue;
            }
            samples.push({
              model: c.model,
              at: c.at,
              mean: c.mean,
              rawLogSd: c.rawLogSd,
              actual: c.actual,
              runId: run.id,
              group: run.group,
              covered80: c.covered80,
              covered95: c.covered95,
              halfWidth80: c.final ? Math.log(c.final.hi80 / c.mean) / c.rawLogSd : null,
              halfWidth95: c.final ? Math.log(c.final.hi95 / c.mean) / c.rawLogSd : null,
            });
            used.add(run.id);
          }
        } catch {
          // A run that cannot be backtested (schedule unknown, too few points, deleted meanwhile).
          failed++;
        }
      }
    }
    const calibration = calibrate({ backtests: [samples] });
    const hasEntries = calibration.entries.length > 0;
    state = {
      key,
      version: hasEntries ? hashOf(calibration.entries) : 'none',
      calibration: hasEntries ? calibration : null,
      backtests: used.size,
      samples,
      failed,
      computedAt: Date.now(),
      ms: performance.now() - t0,
    };
    correlations.clear();
    views.clear();
    return summarize();
  }

  /**
   * The calibration for forecasts of `runId`: calibrate() over the cuts of every other backtested
   * run (leave-one-run-out), memoised per finished calibration. Null before the first refresh.
   */
  function forRun(runId: number): CalibrationView | null {
    if (!state) return null;
    const known = views.get(runId);
    if (known) return known;
    const own = state.samples.some((s) => s.runId === runId);
    let view: CalibrationView;
    if (!own) {
      view = {
        calibration: state.calibration,
        version: state.version,
        backtests: state.backtests,
        samples: state.samples.length,
        leftOut: null,
      };
    } else {
      const others = state.samples.filter((s) => s.runId !== runId);
      const calibration = calibrate({ backtests: [others] });
      const hasEntries = calibration.entries.length > 0;
      view = {
        calibration: hasEntries ? calibration : null,
        version: hasEntries ? hashOf(calibration.entries) : 'none',
        backtests: new Set(others.map((s) => s.runId)).size,
        samples: others.length,
        leftOut: runId,
      };
    }
    if (views.size > 4096) views.clear();
    views.set(runId, view);
    return view;
  }

  /** Recomputes from the current finished runs (no-op when they did not change); coalesces calls. */
  function refresh(): Promise<CalibrationSummary> {
    if (running) return running.then(() => refresh());
    running = compute().finally(() => {
      running = null;
    });
    return running;
  }

  /**
   * The correlation of two forecast errors of runs of `group` at a decision `confidence`: from the
   * group's own backtests when it has enough, else pooled over every group's; null without either.
   */
  function correlationFor(group: string, confidence: number): CorrelationOf | null {
    if (!state) return null;
    const id = `${group}\u0000${confidence}`;
    const known = correlations.get(id);
    if (known !== undefined) return known;
    // A one-sided decision at c is calibrated by the two-sided quantile at 2c - 1 (error-correlation.ts).
    const coverage = Math.min(0.99, Math.max(0.5, 2 * confidence - 1));
    const toSample = (s: CalibrationSampleOf): ErrorSample => ({
      group: s.group ?? '',
      at: s.at,
      mean: s.mean,
      logSd: s.rawLogSd,
      actual: s.actual,
    });
    const grouped = state.samples.filter((s) => s.group !== null);
    const own = estimateErrorCorrelation({
      samples: grouped.filter((s) => s.group === group).map(toSample),
      coverage,
    });
    const pick = (e: ErrorCorrelation, source: CorrelationOf['source']): CorrelationOf => ({
      value: e.correlation,
      source,
      runs: e.runs,
      pairs: e.pairs,
    });
    let result: CorrelationOf | null = null;
    if (own.runs >= MIN_CORRELATION_RUNS) result = pick(own, 'group');
    else {
      const pooled = estimateErrorCorrelation({ samples: grouped.map(toSample), coverage });
      if (pooled.runs >= MIN_CORRELATION_RUNS) result = pick(pooled, 'pooled');
    }
    correlations.set(id, result);
    return result;
  }

  return {
    /** The last finished calibration (null before the first). */
    current(): CalibrationState | null {
      return state;
    },
    summary: summarize,
    forRun,
    refresh,
    /** True while a refresh is computing. */
    isRunning(): boolean {
      return running !== null;
    },
    correlationFor,
    /** A refresh `delayMs` from now unless one is already scheduled (throttled, not reset by writes). */
    schedule(delayMs: number): void {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = null;
        refresh().catch(() => undefined);
      }, delayMs);
      timer.unref();
    },
    /** Stops scheduled and running refreshes (the store is closing). */
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export type CalibrationService = ReturnType<typeof createCalibrationService>;
