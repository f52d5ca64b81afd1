import { isRuncastError, RuncastError } from '@runcast/core';
import {
  type FitJob,
  type FitJobKind,
  type FitJobResult,
  runFitJobToOutcome,
  unwrapFitJobOutcome,
} from '@runcast/fit';

export interface FitJobOptions {
  /** Aborts the job (e.g. the HTTP request closed); a running job on a worker is stopped. */
  signal?: AbortSignal | undefined;
}

/**
 * Where forecasts, backtests, group shapes and scaling fits run (@runcast/fit's FitJob). The server
 * gets a worker pool from the app that starts it (apps/cli fit-worker-pool.ts: bounded queue, a
 * time budget per job, cancellation); tests and the CLI's in-process commands use the in-thread one.
 * A full queue rejects with RATE_LIMITED (429), an exceeded budget with TIMEOUT (504).
 */
export interface FitPool {
  run<K extends FitJobKind>(job: FitJob<K>, options?: FitJobOptions): Promise<FitJobResult<K>>;
  /** Jobs running and waiting. */
  stats(): { running: number; queued: number; threads: number };
  close(): Promise<void>;
}

/** The error a job gets when its signal aborts before or while it runs. */
export function abortedJobError(kind: FitJobKind, signal: AbortSignal): RuncastError {
  const reason = signal.reason as unknown;
  if (reason instanceof RuncastError) return reason;
  return new RuncastError('TIMEOUT', `the ${kind} job was cancelled (the request was closed)`);
}

/**
 * Refusals by the pool (queue full, time budget exceeded, cancelled): they answer the request
 * and must not be swallowed where a failed fit is tolerated (a donor, a rival, a calibration cut).
 */
export function isPoolRefusal(e: unknown): boolean {
  return isRuncastError(e) && (e.code === 'RATE_LIMITED' || e.code === 'TIMEOUT');
}

/** Runs every job on the calling thread, one after the other (tests, in-process CLI commands). */
export function createInlineFitPool(): FitPool {
  let running = 0;
  return {
    async run(job, options = {}) {
      if (options.signal?.aborted) throw abortedJobError(job.kind, options.signal);
      running++;
      try {
        return unwrapFitJobOutcome(runFitJobToOutcome(job));
      } finally {
        running--;
      }
    },
    stats: () => ({ running, queued: 0, threads: 0 }),
    close: async () => undefined,
  };
}
