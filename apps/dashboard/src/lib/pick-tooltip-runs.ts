/**
 * The compare tooltip with many runs: the value of every run at the hovered x, then only the
 * `limit` runs nearest the cursor's value, listed by value (lowest loss first). Pure.
 */

export type XY = readonly [number, number];

export interface TooltipRun {
  id: number;
  name: string;
  color: string;
  value: number;
  /** The value comes from the forecast (the run has not reached this x). */
  forecast: boolean;
}

/**
 * A run's value at x: its last point at or before x, as long as x lies within the run's points
 * (runs logged at other steps still show; a run that ended earlier does not).
 */
export function readValueAt(points: readonly XY[], x: number): number | null {
  if (points.length === 0) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (x < first[0] || x > last[0]) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]![0] <= x) lo = mid;
    else hi = mid - 1;
  }
  return points[lo]![1];
}

export function pickTooltipRuns(
  runs: readonly TooltipRun[],
  options: { limit: number; near: number | null },
): { shown: TooltipRun[]; hidden: number } {
  const byValue = (a: TooltipRun, b: TooltipRun) => a.value - b.value;
  if (runs.length <= options.limit) return { shown: [...runs].sort(byValue), hidden: 0 };
  const sorted = [...runs].sort(byValue);
  const near =
    options.near !== null && Number.isFinite(options.near)
      ? options.near
      : sorted[Math.floor(sorted.length / 2)]!.value;
  const nearest = [...runs]
    .sort((a, b) => Math.abs(a.value - near) - Math.abs(b.value - near) || a.value - b.value)
    .slice(0, options.limit)
    .sort(byValue);
  return { shown: nearest, hidden: runs.length - nearest.length };
}

/** The value under a pixel of a vertical axis drawn from `top` (domain max) to `bottom` (min). */
export function invertAxisPixel(options: {
  pixel: number;
  top: number;
  bottom: number;
  domain: readonly [number, number];
  log: boolean;
}): number | null {
  const { pixel, top, bottom, domain, log } = options;
  if (!(bottom > top)) return null;
  const u = Math.min(1, Math.max(0, (bottom - pixel) / (bottom - top)));
  if (log) {
    if (!(domain[0] > 0 && domain[1] > 0)) return null;
    const a = Math.log(domain[0]);
    const b = Math.log(domain[1]);
    return Math.exp(a + u * (b - a));
  }
  return domain[0] + u * (domain[1] - domain[0]);
}
