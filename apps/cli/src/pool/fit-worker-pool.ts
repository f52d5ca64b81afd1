import { availableParallelism } from 'node:os';
import { abortedJobError, type FitPool } from '@runcast/api';
import { RuncastError } from '@runcast/core';
import type { FitJobOutcome } from '@runcast/fit';
import { unwrapFitJobOutcome } from '@runcast/fit';
import { Piscina } from 'piscina';
import { locateFitWorker } from './locate-fit-worker';

function describeMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export interface FitWorkerPoolOptions {
  /** Worker threads (default: cores - 1, at least 1, at most 4: the request thread keeps a core). */
  threads?: number;
  /** Jobs waiting beyond the running ones; one more is refused with 429 (default 4 per thread). */
  maxQueue?: number;
  /** Time budget of one job in ms; a job over it is stopped (its worker restarted), 504 (default 60 s). */
  jobTimeoutMs?: number;
  /** Heap limit of each worker in MiB (default 384): a runaway fit dies alone. */
  maxHeapMb?: number;
}

/**
 * The server's fit pool (a FitPool, pool/fit-pool.ts in @runcast/api) on piscina worker threads:
 * forecasts, backtests, group shapes and scaling fits never run on the request thread. A bounded
 * queue answers 429 when full, each job has a time budget, and a job whose request closed is
 * cancelled (a running one by stopping its worker, as piscina does on abort).
 */
export function createFitWorkerPool(options: FitWorkerPoolOptions = {}): FitPool {
  const threads = options.threads ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  const maxQueue = options.maxQueue ?? 4 * threads;
  const jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  const worker = locateFitWorker();
  const piscina = new Piscina({
    filename: worker.filename,
    execArgv: worker.execArgv,
    minThreads: 1,
    maxThreads: threads,
    maxQueue,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 384 },
  });
  let running = 0;
  return {
    async run(job, jobOptions = {}) {
      if (jobOptions.signal?.aborted) throw abortedJobError(job.kind, jobOptions.signal);
      const busy = () =>
        new RuncastError(
          'RATE_LIMITED',
          `the server is busy: ${running} fits running or waiting (queue limit ${maxQueue}); retry shortly`,
        );
      if (piscina.queueSize >= maxQueue) throw busy();
      const budget = new AbortController();
      const timer = setTimeout(
        () =>
          budget.abort(
            new RuncastError(
              'TIMEOUT',
              `the ${job.kind} job took longer than its ${describeMs(jobTimeoutMs)} budget and was stopped`,
            ),
          ),
        jobTimeoutMs,
      );
      const signal = jobOptions.signal
        ? AbortSignal.any([budget.signal, jobOptions.signal])
        : budget.signal;
      running++;
      try {
        const outcome = (await piscina.run(job, { signal })) as FitJobOutcome;
        return unwrapFitJobOutcome(outcome) as never;
      } catch (e) {
        if (signal.aborted) throw abortedJobError(job.kind, signal);
        if (e instanceof RuncastError) throw e;
        if (/queue is at limit/i.test((e as Error).message)) throw busy();
        throw new RuncastError('INTERNAL', `the ${job.kind} job failed: ${(e as Error).message}`, {
          cause: e,
        });
      } finally {
        running--;
        clearTimeout(timer);
      }
    },
    stats: () => ({ running, queued: piscina.queueSize, threads }),
    close: () => piscina.destroy(),
  };
}
