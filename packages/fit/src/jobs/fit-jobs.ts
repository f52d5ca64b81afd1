import { type Forecast, isRuncastError, RuncastError, type RuncastErrorCode } from '@runcast/core';
import { type BacktestOptions, type BacktestResult, backtest } from '../backtest/backtest';
import { type ForecastOptions, forecast } from '../forecast/forecast';
import { fitGroupShape, type GroupDonor, type GroupShape } from '../forecast/group-shape';
import {
  type FitScalingLawOptions,
  fitScalingLaw,
  type ScalingLawResult,
} from '../scaling/fit-scaling-law';

/**
 * The heavy computations a server hands to its worker pool, as plain data in and out (structured
 * clone): forecasts, backtests, group shapes and scaling-law fits. Kind -> [input, result].
 */
export type FitJobs = {
  forecast: [ForecastOptions, Forecast];
  backtest: [BacktestOptions, BacktestResult];
  'group-shape': [ReadonlyArray<GroupDonor>, GroupShape | null];
  scaling: [FitScalingLawOptions, ScalingLawResult];
};

export type FitJobKind = keyof FitJobs;
export type FitJob<K extends FitJobKind = FitJobKind> = { kind: K; input: FitJobs[K][0] };
export type FitJobResult<K extends FitJobKind> = FitJobs[K][1];

/** A job's outcome with a RuncastError as data (class instances do not cross threads). */
export type FitJobOutcome<K extends FitJobKind = FitJobKind> =
  | { ok: true; value: FitJobResult<K> }
  | {
      ok: false;
      error: { code: RuncastErrorCode; message: string; where?: RuncastError['where'] };
    };

/** Runs one job on the calling thread. */
export function runFitJob<K extends FitJobKind>(job: FitJob<K>): FitJobResult<K> {
  const { kind, input } = job as FitJob;
  switch (kind) {
    case 'forecast':
      return forecast(input as ForecastOptions) as FitJobResult<K>;
    case 'backtest':
      return backtest(input as BacktestOptions) as FitJobResult<K>;
    case 'group-shape':
      return fitGroupShape(input as ReadonlyArray<GroupDonor>) as FitJobResult<K>;
    case 'scaling':
      return fitScalingLaw(input as FitScalingLawOptions) as FitJobResult<K>;
  }
}

/** runFitJob with errors returned as data (what a worker thread sends back). */
export function runFitJobToOutcome<K extends FitJobKind>(job: FitJob<K>): FitJobOutcome<K> {
  try {
    return { ok: true, value: runFitJob(job) };
  } catch (e) {
    if (isRuncastError(e)) {
      return {
        ok: false,
        error: { code: e.code, message: e.message, ...(e.where ? { where: e.where } : {}) },
      };
    }
    return { ok: false, error: { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) } };
  }
}

/** The result of an outcome, or its error rethrown as a RuncastError. */
export function unwrapFitJobOutcome<K extends FitJobKind>(
  outcome: FitJobOutcome<K>,
): FitJobResult<K> {
  if (outcome.ok) return outcome.value;
  const { code, message, where } = outcome.error;
  throw new RuncastError(code, message, where ? { where } : undefined);
}
