/**
 * Fit speed bench (one core): median time of a single-run MPL fit on a 24k-step and a 72k-step real
 * curve (the whole observed curve, bin-averaged to SINGLE_RUN_POINTS = 48 points as forecast() does, multi-start Huber-LM), and of a
 * group-mode forecast with bands (block bootstrap + donor self-backtest) with the donor shape cached
 * (warm) and fitted from scratch (cold). Baseline measured in the same run: the power-law fit.
 * Targets: MPL <= 3 ms / 5 ms, group forecast <= 15 ms warm / 100 ms cold. Run: pnpm bench fit-speed
 */
import {
  fitGroupShape,
  fitSingleRun,
  forecast,
  prepareRun,
  SINGLE_RUN_POINTS,
  selectRunFitPoints,
} from '../packages/fit/src/index';
import { readAllCurves, readCurve } from './lib/curves';
import { measureMedianMs, saveBenchJson } from './lib/measure';
import { chooseDonors } from './lib/sampling';

const RUNS = 51;
const out: Record<string, number> = {};
for (const [label, file] of [
  ['24k', 'mpl-400M-cosine_24000.json'],
  ['72k', 'mpl-400M-cosine_72000.json'],
] as const) {
  const c = readCurve(file);
  const run = prepareRun({ points: c.points, schedule: c.schedule });
  const pts = selectRunFitPoints(run, { maxPoints: SINGLE_RUN_POINTS });
  out[`mpl ${label}`] = measureMedianMs(() => fitSingleRun('mpl', run.schedule, pts), RUNS, 15);
  out[`power ${label}`] = measureMedianMs(() => fitSingleRun('power', run.schedule, pts), RUNS, 10);
  out[`mpl ${label} incl. set-up`] = measureMedianMs(
    () => {
      const r = prepareRun({ points: c.points, schedule: c.schedule });
      fitSingleRun('mpl', r.schedule, selectRunFitPoints(r, { maxPoints: SINGLE_RUN_POINTS }));
    },
    RUNS,
    1,
  );
}
const all = readAllCurves();
const target = all.find((c) => c.id === 'mpl-400M-wsd_20000_24000')!;
const cut = Math.floor(0.5 * target.total);
const donors = chooseDonors(target, all, cut);
const points = target.points.filter((p) => p.step <= cut);
const shape = fitGroupShape(donors)!;
out['group forecast warm joint'] = measureMedianMs(
  () => forecast({ points, schedule: target.schedule, group: { shape, donors } }),
  RUNS,
  3,
);
out['group forecast warm'] = measureMedianMs(
  () => forecast({ points, schedule: target.schedule, group: { shape } }),
  RUNS,
  3,
);
out['group forecast cold'] = measureMedianMs(
  () => forecast({ points, schedule: target.schedule, group: { donors } }),
  7,
  1,
);
out.donors = donors.length;

const fmt = (v: number) => v.toFixed(2);
console.log('| measurement | median ms | target | baseline ratio |');
console.log('|---|---|---|---|');
console.log(
  `| MPL fit, 24k-step curve | ${fmt(out['mpl 24k']!)} | <= 3 | ${fmt(out['mpl 24k']! / out['power 24k']!)}x the power-law fit (${fmt(out['power 24k']!)} ms) |`,
);
console.log(
  `| MPL fit, 72k-step curve | ${fmt(out['mpl 72k']!)} | <= 5 | ${fmt(out['mpl 72k']! / out['power 72k']!)}x the power-law fit (${fmt(out['power 72k']!)} ms) |`,
);
console.log(
  `| MPL fit incl. schedule compile + design, 24k / 72k | ${fmt(out['mpl 24k incl. set-up']!)} / ${fmt(out['mpl 72k incl. set-up']!)} | | |`,
);
console.log(
  `| group forecast with bands, shape cached (${donors.length} donors) | ${fmt(out['group forecast warm']!)} | <= 15 | |`,
);
console.log(
  `| group forecast with bands, shape cached + joint refit with the donors (default when donors are passed) | ${fmt(out['group forecast warm joint']!)} | | |`,
);
console.log(
  `| group forecast with bands, cold (donor shape fit + joint refit) | ${fmt(out['group forecast cold']!)} | <= 100 | |`,
);
console.log(
  'SciPy reference (REFERENCE-BACKTEST): single MPL fit ~25 ms, group forecast with bootstrap ~110 ms.',
);
saveBenchJson('fit-speed', out);
