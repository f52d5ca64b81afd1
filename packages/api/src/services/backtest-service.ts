import { RuncastError } from '@runcast/core';
import type { BacktestResult, BacktestSkipReason, Calibration } from '@runcast/fit';
import type { FitJobOptions, FitPool } from '../pool/fit-pool';
import type { CalibrationView } from './calibration-service';
import type { ForecastService } from './forecast-service';
import type { RunSummary } from './run-summary';
import type { RunsService } from './runs-service';
import { resolveRunSchedule } from './schedule-for-run';

export interface BacktestReply {
  run: number;
  key: string;
  model: string;
  finalStep: number;
  actual: number;
  cuts: {
    at: number;
    step: number;
    final: {
      mean: number;
      lo80: number;
      hi80: number;
      lo95: number;
      hi95: number;
      logSd: number;
    } | null;
    actual: number;
    relError: number | null;
    model: string;
    covered80: boolean | null;
    error?: string;
    /** Not a forecast: the cut is at or after the run's last observed step (no error, no band). */
    skipped?: BacktestSkipReason;
  }[];
  /** Whether the bands were calibrated on the other finished runs' backtests, and on how many. */
  calibration: {
    calibrated: boolean;
    requested: boolean;
    backtests: number;
    samples: number;
    leftOut: number | null;
  };
}

/**
 * A run forecast from cuts at fractions of its steps, with the forecast service's settings: its
 * resolved schedule (as if finished) and, when it has a group, the shape of its group's donors
 * (select-donors.ts, never the run itself). Shared by the backtest endpoint and the calibration.
 */
export async function backtestRun(options: {
  forecasts: ForecastService;
  pool: FitPool;
  run: RunSummary;
  key: string;
  at?: number[] | undefined;
  /** Calibrated bands (never learnt from this run's own cuts); raw without. */
  calibration?: Calibration | undefined;
  signal?: AbortSignal | undefined;
}): Promise<BacktestResult> {
  const { forecasts, run, key } = options;
  const jobOptions: FitJobOptions = { signal: options.signal };
  const data = await forecasts.runInput(run, key);
  if (!data)
    throw new RuncastError('NOT_FOUND', `run ${run.id} has no series ${JSON.stringify(key)}`);
  const resolved = resolveRunSchedule({
    run: { ...run, status: 'finished' },
    lr: data.lrCols,
    lastStep: data.lastStep,
  });
  const group = run.group
    ? await forecasts.groupShapeFor(
        { run, key, schedule: resolved.schedule, input: data },
        jobOptions,
      )
    : null;
  const input = {
    points: data.curve.points,
    schedule: resolved.horizon
      ? { ...resolved.schedule, total: resolved.horizon }
      : resolved.schedule,
    ...(data.lr ? { lr: data.lr.points } : {}),
    ...(options.at ? { at: options.at } : {}),
    ...(group?.shape ? { group: { shape: group.shape } } : {}),
    ...(options.calibration ? { calibration: options.calibration } : {}),
  };
  return options.pool.run({ kind: 'backtest', input }, jobOptions);
}

/** Forecasts a run from cuts at fractions of its steps and compares with what happened. */
export function createBacktestService(options: {
  runs: RunsService;
  forecasts: ForecastService;
  pool: FitPool;
  /** The calibration with a run's own cuts left out (calibration-service.ts forRun). */
  calibration?: (runId: number) => CalibrationView | null;
}) {
  const { runs, forecasts, pool } = options;
  return {
    async run(
      input: {
        runId: number;
        key?: string | undefined;
        at?: number[] | undefined;
        /** Calibrated bands (default true); false gives the raw bands. */
        calibrate?: boolean | undefined;
      },
      jobOptions: FitJobOptions = {},
    ): Promise<BacktestReply> {
      const run = await runs.byId(input.runId);
      const key = input.key ?? run.lossKey;
      if (!key) throw new RuncastError('INSUFFICIENT_DATA', `run ${run.id} has no loss series`);
      const requested = input.calibrate !== false;
      const view = requested ? (options.calibration?.(run.id) ?? null) : null;
      const result = await backtestRun({
        forecasts,
        pool,
        run,
        key,
        at: input.at,
        calibration: view?.calibration ?? undefined,
        signal: jobOptions.signal,
      });
      const calibrated = result.cuts.some(
        (c) =>
          c.final !== null &&
          c.calibrationSource !== undefined &&
          c.calibrationSource !== 'none' &&
          !c.calibrationSource.startsWith('student-t'),
      );
      return {
        run: run.id,
        key,
        model: result.model,
        finalStep: result.finalStep,
        actual: result.actual,
        cuts: result.cuts.map((c) => ({
          at: c.at,
          step: c.step,
          final: c.final,
          actual: c.actual,
          relError: c.relError,
          model: c.model,
          covered80: c.covered80,
          ...(c.error ? { error: c.error } : {}),
          ...(c.skipped ? { skipped: c.skipped } : {}),
        })),
        calibration: {
          calibrated,
          requested,
          backtests: view?.backtests ?? 0,
          samples: view?.samples ?? 0,
          leftOut: view?.leftOut ?? null,
        },
      };
    },
  };
}
