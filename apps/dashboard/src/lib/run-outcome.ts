// What a run's state lets the views say: a live run gets a forecast and an early-stop verdict; an
// ended run (finished, stopped, crashed) gets its result next to the forecast it would have had,
// and no verdict (a run that was stopped early shows the verdict that stopped it).

import type { RunStatus } from '@runcast/core';

export type RunPhase = 'live' | 'ended' | 'unknown';

/** live: running; ended: finished, stopped or crashed; unknown: nobody said. */
export function readRunPhase(status: RunStatus): RunPhase {
  if (status === 'running') return 'live';
  if (status === 'unknown') return 'unknown';
  return 'ended';
}

/** Only live runs get an early-stop verdict. */
export function wantsVerdict(status: RunStatus): boolean {
  return readRunPhase(status) === 'live';
}

/** Where an ended run is cut for "the forecast it would have had": half its logged steps. */
export const HINDSIGHT_SHARE = 0.5;

/**
 * The step an ended run's hindsight forecast sees points up to (half its logged steps, from its
 * first logged step), or null when it has too few steps for one.
 */
export function pickHindsightCut(series: {
  firstStep: number | null;
  lastStep: number | null;
  points: number;
}): number | null {
  if (series.firstStep === null || series.lastStep === null || series.points < 8) return null;
  const cut = Math.round(series.firstStep + HINDSIGHT_SHARE * (series.lastStep - series.firstStep));
  return cut > series.firstStep ? cut : null;
}

export interface Band {
  mean: number;
  lo80: number;
  hi80: number;
  lo95?: number;
  hi95?: number;
}

/** Whether the result fell outside the forecast's 80% band (a miss, flagged in the views). */
export function isBandMiss(band: Band, actual: number): boolean {
  return actual < band.lo80 || actual > band.hi80;
}

/**
 * The plain-language reading of a final-loss forecast: "80% chance the final loss is between 2.93
 * and 2.95" (the bounds to the decimals their difference needs).
 */
export function describeBand(band: Band, what = 'the final loss'): string {
  const width = band.hi80 - band.lo80;
  const decimals =
    width > 0 && Number.isFinite(width)
      ? Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(width))))
      : 3;
  return `80% chance ${what} is between ${band.lo80.toFixed(decimals)} and ${band.hi80.toFixed(decimals)}`;
}

/** Share of its planned steps past which a run of unknown status counts as ended (as the API's). */
const COMPLETE_SHARE = 0.98;

/**
 * A run the compare page backtests: finished, or of unknown status (a log file nobody reports on)
 * and past 98% of its planned steps. Stopped and crashed runs never reached their planned end.
 */
export function isEndedForBacktest(run: {
  status: string;
  stepsDone: number | null;
  stepsPlanned: number | null;
}): boolean {
  if (run.status === 'finished') return true;
  if (run.status !== 'unknown') return false;
  return (
    run.stepsDone !== null &&
    run.stepsPlanned !== null &&
    run.stepsDone >= COMPLETE_SHARE * run.stepsPlanned
  );
}
