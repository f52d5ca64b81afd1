/**
 * Scaling-law fit time on the 240 Chinchilla points (../shared/data/chinchilla): the reduced
 * 243-start grid (default) against Hoffmann's published 4500-start grid (the baseline), the
 * Huber-MLE stage, and the cost per bootstrap resample. Also prints the estimates.
 * The baseline runs a seeded 1-in-10 sample of the published starts and extrapolates (x10);
 * `pnpm bench scaling --full` runs all 4500 starts instead (~15-20 s).
 */
import { readFileSync } from 'node:fs';
import {
  bootstrapChinchilla,
  fitChinchilla,
  listGridStarts,
  type ScalingPoint,
} from '../packages/fit/src/index';
import { createRandom } from '../packages/fit/src/stats/seeded-random';
import { measureMedianMs, saveBenchJson } from './lib/measure';

const csv = readFileSync(
  new URL('../../shared/data/chinchilla/chinchilla_epoch_points.csv', import.meta.url),
  'utf8',
);
const [header, ...lines] = csv.trim().split(/\r?\n/);
const columns = (header ?? '').split(',');
const all: ScalingPoint[] = lines.map((line) => {
  const cells = line.split(',').map(Number);
  return {
    N: cells[columns.indexOf('model_size_params')] as number,
    D: cells[columns.indexOf('training_tokens')] as number,
    loss: cells[columns.indexOf('loss')] as number,
  };
});
const points = [...all].sort((a, b) => a.loss - b.loss).slice(0, all.length - 5);

const reducedMs = measureMedianMs(() => fitChinchilla({ points, estimator: 'huber' }), 5);
const mleMs = measureMedianMs(() => fitChinchilla({ points }), 5);
const full = process.argv.includes('--full');
const random = createRandom(5);
const publishedStarts = listGridStarts('published');
const sampledStarts = full ? publishedStarts : publishedStarts.filter(() => random.next() < 0.1);
let t = performance.now();
const published = fitChinchilla({ points, estimator: 'huber', grid: sampledStarts });
const publishedMs = ((performance.now() - t) * publishedStarts.length) / sampledStarts.length;
const reduced = fitChinchilla({ points, estimator: 'huber' });
const mle = fitChinchilla({ points });
const resamples = 50;
t = performance.now();
bootstrapChinchilla({ points, fit: mle, resamples });
const perResampleMs = (performance.now() - t) / resamples;

const fmt = (p: typeof mle.params) =>
  `E=${p.E.toFixed(4)} A=${p.A.toFixed(1)} B=${p.B.toFixed(1)} alpha=${p.alpha.toFixed(4)} beta=${p.beta.toFixed(4)}`;
const result = {
  points: points.length,
  medianMs: { reducedGridHuber: reducedMs, reducedGridHuberMle: mleMs },
  publishedGridMs: publishedMs,
  publishedGridStartsRun: sampledStarts.length,
  speedupVsPublishedGrid: publishedMs / reducedMs,
  bootstrapMsPerResample: perResampleMs,
  sameOptimum: Math.abs(published.objective - reduced.objective) <= 1e-12 * published.objective,
  estimates: { huber: reduced.params, huberMle: mle.params, publishedGrid: published.params },
};
console.log(`${points.length} points`);
console.log(
  `reduced grid (243 starts), Huber       median ${reducedMs.toFixed(0)} ms  ${fmt(reduced.params)}`,
);
console.log(
  `  + Huber-MLE stage (default estimator) median ${mleMs.toFixed(0)} ms  ${fmt(mle.params)}`,
);
console.log(
  `published grid (4500 starts), ${full ? '1 run' : `est. x${(publishedStarts.length / sampledStarts.length).toFixed(1)} from ${sampledStarts.length} starts`}  ${publishedMs.toFixed(0)} ms  ${fmt(published.params)}`,
);
console.log(
  `reduced vs published: x${result.speedupVsPublishedGrid.toFixed(1)} faster, same optimum: ${result.sameOptimum}`,
);
console.log(`bootstrap: ${perResampleMs.toFixed(1)} ms per resample (Huber-MLE refit)`);
console.log(`saved ${saveBenchJson('scaling', result)}`);
