/**
 * Applies points that arrived over the live subscription to a cached `series.points` result
 * without refetching the series: new steps are appended, re-logged steps replace the old value.
 */
export interface CachedSeries {
  runId: number;
  key: string;
  total: number;
  downsampled: boolean;
  points: Array<[number, number | null]>;
  wallTimes?: Array<number | null> | undefined;
}

export function appendLivePoints<T extends CachedSeries>(
  cached: T,
  incoming: ReadonlyArray<readonly [number, number | null]>,
): T {
  if (incoming.length === 0) return cached;
  const points = cached.points.slice();
  const wallTimes = cached.wallTimes?.slice();
  let added = 0;
  const sorted = incoming.slice().sort((a, b) => a[0] - b[0]);
  for (const [step, value] of sorted) {
    const last = points[points.length - 1];
    if (!last || step > last[0]) {
      points.push([step, value]);
      wallTimes?.push(null);
      added++;
      continue;
    }
    const index = findStep(points, step);
    if (index >= 0) {
      points[index] = [step, value];
    } else if (!cached.downsampled) {
      // An older step we did not have (out-of-order delivery): insert in order.
      const at = -index - 1;
      points.splice(at, 0, [step, value]);
      wallTimes?.splice(at, 0, null);
      added++;
    }
  }
  return { ...cached, points, wallTimes, total: cached.total + added };
}

/** Binary search: the index of `step`, or -(insertion point) - 1. */
function findStep(points: ReadonlyArray<readonly [number, unknown]>, step: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = points[mid]![0];
    if (s === step) return mid;
    if (s < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}
