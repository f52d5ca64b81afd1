import type { Point } from '@runcast/core';
import type { XYSeries } from './xy-series';

/**
 * The shared x axis for overlaying runs:
 * - 'step': the optimizer step;
 * - 'tokens': step * tokensPerStep (each run's own; required);
 * - 'wall': the logged wall time (points without one are dropped);
 * - 'relative': wall time minus the run's first logged wall time.
 */
export type AlignAxis = 'step' | 'tokens' | 'wall' | 'relative';

export type AlignRun = { id: string; points: readonly Point[]; tokensPerStep?: number };

export type AlignedRun = XYSeries & { id: string; dropped: number };

export type AlignSeriesResult = {
  axis: AlignAxis;
  runs: AlignedRun[];
  /** [min, max] of x over all runs, or null when no run has a point. */
  xRange: [number, number] | null;
};

export function alignSeries(options: {
  runs: readonly AlignRun[];
  axis: AlignAxis;
}): AlignSeriesResult {
  const { runs, axis } = options;
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  const aligned = runs.map((run): AlignedRun => {
    const tokensPerStep = run.tokensPerStep;
    if (axis === 'tokens' && !(tokensPerStep !== undefined && tokensPerStep > 0)) {
      throw new RangeError(`run ${run.id}: the 'tokens' axis needs a positive tokensPerStep`);
    }
    let origin = Number.NaN;
    if (axis === 'relative') {
      for (const p of run.points) {
        if (p.wallTime !== null && Number.isFinite(p.wallTime) && !(p.wallTime >= origin))
          origin = p.wallTime;
      }
    }
    const pairs: [number, number][] = [];
    for (const p of run.points) {
      const x =
        axis === 'step'
          ? p.step
          : axis === 'tokens'
            ? p.step * (tokensPerStep as number)
            : p.wallTime === null
              ? Number.NaN
              : axis === 'wall'
                ? p.wallTime
                : p.wallTime - origin;
      if (Number.isFinite(x)) pairs.push([x, p.value]);
    }
    // Wall clocks can go backwards across restarts: order by x, stably.
    pairs.sort((a, b) => a[0] - b[0]);
    const first = pairs[0];
    const last = pairs[pairs.length - 1];
    if (first !== undefined && last !== undefined) {
      xMin = Math.min(xMin, first[0]);
      xMax = Math.max(xMax, last[0]);
    }
    return {
      id: run.id,
      x: pairs.map((p) => p[0]),
      y: pairs.map((p) => p[1]),
      dropped: run.points.length - pairs.length,
    };
  });
  return { axis, runs: aligned, xRange: xMin <= xMax ? [xMin, xMax] : null };
}
