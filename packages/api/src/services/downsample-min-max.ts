/**
 * Min/max-per-bucket downsampling of [lo, hi) of a sorted series into at most `budget` points:
 * the range of steps is cut into budget/2 equal-width buckets; each bucket keeps its lowest and
 * highest value (in step order), so spikes survive. Deterministic. A bucket with only NaN keeps
 * one NaN point (a diverged stretch stays visible as a gap).
 */
export function downsampleMinMax(options: {
  steps: Float64Array;
  values: Float64Array;
  lo: number;
  hi: number;
  budget: number;
}): number[] {
  const { steps, values, lo, hi, budget } = options;
  const out: number[] = [];
  const n = hi - lo;
  if (n <= 0) return out;
  const buckets = Math.max(1, Math.floor(budget / 2));
  const first = steps[lo]!;
  const span = steps[hi - 1]! - first;
  const width = span > 0 ? span / buckets : 1;
  let i = lo;
  for (let b = 0; b < buckets && i < hi; b++) {
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : first + (b + 1) * width;
    let minI = -1;
    let maxI = -1;
    let nanI = -1;
    for (; i < hi && steps[i]! < end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) {
        if (nanI < 0) nanI = i;
        continue;
      }
      if (minI < 0 || v < values[minI]!) minI = i;
      if (maxI < 0 || v > values[maxI]!) maxI = i;
    }
    if (minI < 0) {
      if (nanI >= 0) out.push(nanI);
      continue;
    }
    if (minI === maxI) out.push(minI);
    else if (minI < maxI) out.push(minI, maxI);
    else out.push(maxI, minI);
  }
  return out;
}
