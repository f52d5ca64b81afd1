/**
 * Series shaping speed: a 1M-point loss curve (noise + rare spikes) to a 2,000-point budget.
 * Baseline, measured in the same run: a naive min/max-per-bucket that copies each bucket and
 * sorts it by value (same picks, checked). Also LTTB and the smoothers on the same series.
 */
import {
  downsampleLttb,
  downsampleMinMax,
  smoothEmaTime,
  smoothGaussian,
  smoothTensorBoard,
} from '../packages/fit/src/index';
import { createRandom } from '../packages/fit/src/stats/seeded-random';
import { measureMedianMs, saveBenchJson } from './lib/measure';

const N = 1_000_000;
const BUDGET = 2000;
const RUNS = 11;

const random = createRandom(2024);
const x = new Float64Array(N);
const y = new Float64Array(N);
const spikes: number[] = [];
for (let i = 0; i < N; i++) {
  x[i] = i;
  const spike = random.next() < 1e-5;
  if (spike) spikes.push(i);
  y[i] = 2 + 3 / Math.sqrt(1 + i / 1000) + 0.02 * random.nextNormal() + (spike ? 5 : 0);
}

/** Naive baseline: same buckets, but each bucket is copied and sorted to find its extremes. */
function downsampleBySorting(): number[] {
  const buckets = Math.floor(BUDGET / 4);
  const span = x[N - 1]! - x[0]!;
  const out: number[] = [];
  let i = 0;
  while (i < N) {
    const b = Math.min(buckets - 1, Math.floor(((x[i]! - x[0]!) * buckets) / span));
    let j = i;
    while (j < N && Math.min(buckets - 1, Math.floor(((x[j]! - x[0]!) * buckets) / span)) === b)
      j++;
    const members = Array.from({ length: j - i }, (_, k) => i + k);
    const byValue = [...members].sort((p, q) => y[p]! - y[q]! || p - q);
    const picks = [...new Set([i, byValue[0]!, byValue[byValue.length - 1]!, j - 1])].sort(
      (p, q) => p - q,
    );
    out.push(...picks);
    i = j;
  }
  return out;
}

const fast = downsampleMinMax({ x, y, budget: BUDGET });
const naive = downsampleBySorting();
const samePicks = naive.length === fast.x.length && naive.every((idx, k) => x[idx] === fast.x[k]);

const minMaxMs = measureMedianMs(() => downsampleMinMax({ x, y, budget: BUDGET }), RUNS);
const naiveMs = measureMedianMs(downsampleBySorting, 5);
const rangeMs = measureMedianMs(
  () => downsampleMinMax({ x, y, budget: BUDGET, range: [250_000, 350_000] }),
  RUNS,
);
const lttbMs = measureMedianMs(() => downsampleLttb({ x, y, threshold: BUDGET }), 5);
const emaMs = measureMedianMs(() => smoothEmaTime({ x, y, halfLife: 500 }), 5);
const tbMs = measureMedianMs(() => smoothTensorBoard({ y, weight: 0.9 }), 5);
const gaussMs = measureMedianMs(() => smoothGaussian({ x, y, sigma: 5 }), 3);

const kept = new Set(fast.x);
const spikesKept = spikes.filter((i) => kept.has(i)).length;

const result = {
  points: N,
  budget: BUDGET,
  outputPoints: fast.x.length,
  samePicksAsBaseline: samePicks,
  spikes: spikes.length,
  spikesKept,
  medianMs: {
    minMax: minMaxMs,
    minMaxVisibleRange10pct: rangeMs,
    naiveSortingBaseline: naiveMs,
    lttb: lttbMs,
    emaTime: emaMs,
    tensorBoardEma: tbMs,
    gaussianSigma5: gaussMs,
  },
  speedupVsBaseline: naiveMs / minMaxMs,
};

console.log(
  `1M points -> ${fast.x.length} points (budget ${BUDGET}); same picks as baseline: ${samePicks}`,
);
console.log(`spikes kept: ${spikesKept}/${spikes.length}`);
console.log(`min/max downsample        median ${minMaxMs.toFixed(2)} ms`);
console.log(`  on a 10% visible range  median ${rangeMs.toFixed(2)} ms`);
console.log(
  `naive sort-per-bucket     median ${naiveMs.toFixed(2)} ms  (x${(naiveMs / minMaxMs).toFixed(1)} slower)`,
);
console.log(`LTTB                      median ${lttbMs.toFixed(2)} ms`);
console.log(`time-weighted EMA         median ${emaMs.toFixed(2)} ms`);
console.log(`TensorBoard EMA           median ${tbMs.toFixed(2)} ms`);
console.log(`Gaussian (sigma 5 steps)  median ${gaussMs.toFixed(2)} ms`);
console.log(`saved ${saveBenchJson('shaping', result)}`);
