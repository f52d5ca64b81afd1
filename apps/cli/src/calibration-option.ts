import type { Services } from '@runcast/api';
import type { Command } from 'commander';
import { style } from './output';

/**
 * `--no-calibrate` (raw bands) and the old `--calibrate` (now the default, accepted as a no-op) on
 * the commands that serve bands: forecast, backtest, should-stop.
 */
export function addCalibrateOptions(command: Command): Command {
  return command
    .option(
      '--no-calibrate',
      "raw bands: do not calibrate them on the store's other finished runs (the default backtests " +
        'the 32 most recent at 20/40/60/80%, about 1 s, and never uses the run itself)',
    )
    .option('--calibrate', 'calibrated bands (the default; kept for old scripts)');
}

/** False only for `--no-calibrate` (commander leaves `calibrate` undefined without either flag). */
export function wantsCalibration(opts: { calibrate?: boolean }): boolean {
  return opts.calibrate !== false;
}

/**
 * In-process, a fresh store layer has no calibration yet: compute it from the store's finished
 * runs first (the server keeps its own up to date in the background).
 */
export async function prepareCalibration(
  local: Services | null,
  opts: { calibrate?: boolean },
): Promise<void> {
  if (local && wantsCalibration(opts)) await local.refreshCalibration();
}

export type BandCalibration = {
  calibrated: boolean;
  requested?: boolean;
  backtests: number;
  samples: number;
};

/** One line saying whether and on how many other finished runs the bands were calibrated. */
export function describeBands(c: BandCalibration | undefined, model: string): string | null {
  if (!c) return null;
  if (c.requested === false) return style.dim('raw bands (--no-calibrate)');
  if (c.calibrated)
    return style.dim(
      `bands calibrated on ${c.samples} backtest cuts of ${c.backtests} other finished runs (the run itself left out)`,
    );
  return style.dim(
    c.backtests > 0
      ? `bands not calibrated: the ${c.backtests} other finished runs have too few backtest cuts of model ${model}`
      : 'bands not calibrated: the store has no other finished runs to backtest',
  );
}
