import { type FitJob, runFitJobToOutcome } from '@runcast/fit';

/**
 * The worker-thread side of the fit pool (fit-worker-pool.ts): one job in, its outcome out (errors
 * as data). Bundled to dist/fit-worker.js next to dist/runcast.js; run from source under tsx.
 */
export default function runJob(job: FitJob) {
  return runFitJobToOutcome(job);
}
