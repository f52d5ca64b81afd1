/**
 * Tooltip synchronisation between charts that share an x-axis but not their rows (the loss chart and
 * the LR chart have different points): the receiving chart shows its row nearest in x to the hovered
 * one. recharts' default ('index') pairs rows by position, which shows another step entirely.
 * Returns the position in `ticks`, or -1 (no tooltip) when the hovered x is unknown.
 */
export function syncNearestX(
  ticks: ReadonlyArray<{ value?: unknown }>,
  data: { activeLabel?: unknown },
): number {
  const x = Number(data.activeLabel);
  if (data.activeLabel === undefined || data.activeLabel === null || !Number.isFinite(x)) return -1;
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ticks.length; i++) {
    const v = Number(ticks[i]!.value);
    if (!Number.isFinite(v)) continue;
    const d = Math.abs(v - x);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}
