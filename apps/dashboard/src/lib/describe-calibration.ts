/** How a forecast's bands were calibrated (the server's `diagnostics.calibration`). */
export interface BandCalibration {
  /** The bands of this forecast (or, for the store summary, of some model) were calibrated. */
  calibrated: boolean;
  /** Finished runs that gave at least one backtest cut. */
  backtests: number;
  /** Backtest cuts used. */
  samples: number;
  /** fit's calibration source for this forecast, e.g. 'mtl@0.6 (n=12)'; absent in the summary. */
  source?: string;
}

/** Reads `diagnostics.calibration` (validated; null when the server sent none). */
export function readCalibration(
  diagnostics: Record<string, unknown> | undefined,
): BandCalibration | null {
  const value = diagnostics?.calibration;
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (
    typeof c.calibrated !== 'boolean' ||
    typeof c.backtests !== 'number' ||
    typeof c.samples !== 'number'
  ) {
    return null;
  }
  return {
    calibrated: c.calibrated,
    backtests: c.backtests,
    samples: c.samples,
    ...(typeof c.source === 'string' ? { source: c.source } : {}),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * One line on the bands: 'bands calibrated on 24 backtests of 6 finished runs', or why not
 * ('bands uncalibrated (no finished runs backtested yet)'). `model` names the forecast's model when
 * the backtests were too few for it.
 */
export function describeCalibration(calibration: BandCalibration, model?: string): string {
  const basis = `${count(calibration.samples, 'backtest')} of ${count(calibration.backtests, 'finished run')}`;
  if (calibration.calibrated) return `bands calibrated on ${basis}`;
  if (calibration.backtests === 0) return 'bands uncalibrated (no finished runs backtested yet)';
  return `bands uncalibrated (${basis}: too few for ${model ?? 'any model'})`;
}
