/**
 * Early-stopping bench: in every group of the dev sample, runs are replayed side by side and judged
 * at 20, 30, ..., 90 % of their planned steps. Runcast stops a run when
 * decideStop() of the decisions module says 'stop' against the best of the other runs (P(it ends
 * below all of them) < 1 - confidence, 0.95), using the group-mode forecasts with leave-one-group-out
 * calibrated bands; Optuna's MedianPruner rule stops it when its current loss is worse than the median of the
 * other runs' losses at the same step. Reported: compute saved, and how often the eventual best run
 * (or a run within 0.3 % of it) was stopped. Run: pnpm bench early-stopping
 */
import {
  backtest,
  calibrate,
  decideStop,
  findCalibrationScales,
  fitGroupShape,
} from '../packages/fit/src/index';
import { type DevCurve, readAllCurves } from './lib/curves';
import { saveBenchJson } from './lib/measure';
import { chooseDonors, sampleDevRuns } from './lib/sampling';

const CUTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const CONFIDENCE = 0.95;

type Judged = {
  run: DevCurve;
  at: number;
  step: number;
  mean: number;
  rawLogSd: number;
  current: number;
};

function lossAt(c: DevCurve, step: number): number | null {
  const pts = c.points;
  if (!pts.length || pts[pts.length - 1]!.step < step || pts[0]!.step > step) return null;
  let j = 0;
  while (j + 1 < pts.length && pts[j + 1]!.step <= step) j++;
  return pts[j]!.value;
}

const all = readAllCurves();
const sample = sampleDevRuns(all);
const groups = new Map<string, DevCurve[]>();
for (const c of sample) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
const judged: Judged[] = [];
for (const c of sample) {
  for (const at of CUTS) {
    const step = Math.floor(at * c.total);
    const donors = chooseDonors(c, all, step);
    const shape = donors.length ? fitGroupShape(donors) : null;
    const bt = backtest({
      points: c.points,
      schedule: c.schedule,
      at: [at],
      model: 'mpl',
      group: shape ? { shape, donors } : undefined,
    });
    const k = bt.cuts[0]!;
    const current = lossAt(c, step);
    if (k.final && current !== null)
      judged.push({ run: c, at, step, mean: k.mean, rawLogSd: k.rawLogSd, current });
  }
}

type Tally = {
  runs: number;
  computeTotal: number;
  saved: number;
  bestStopped: number;
  nearBestStopped: number;
  groups: number;
};
const tally = (): Tally => ({
  runs: 0,
  computeTotal: 0,
  saved: 0,
  bestStopped: 0,
  nearBestStopped: 0,
  groups: 0,
});
const runcast = tally();
const median = tally();
const perGroup: Record<string, { runs: number; runcast: string[]; median: string[] }> = {};
for (const [g, runs] of groups) {
  if (runs.length < 3) continue;
  const cal = calibrate({
    backtests: judged
      .filter((j) => j.run.group !== g)
      .map((j) => [
        {
          model: 'mpl-group',
          at: j.at,
          mean: j.mean,
          rawLogSd: j.rawLogSd,
          actual: j.run.points[j.run.points.length - 1]!.value,
        },
      ]),
  });
  const finals = new Map(runs.map((r) => [r.id, r.points[r.points.length - 1]!.value]));
  const best = Math.min(...finals.values());
  const stopAt = { runcast: new Map<string, number>(), median: new Map<string, number>() };
  for (const at of CUTS) {
    const here = judged.filter((j) => j.run.group === g && j.at === at);
    for (const j of here) {
      if (stopAt.runcast.has(j.run.id) && stopAt.median.has(j.run.id)) continue;
      // Runcast: compare with the best forecast final of the other (still running) runs.
      const others = here.filter((o) => o.run.id !== j.run.id && !stopAt.runcast.has(o.run.id));
      if (!stopAt.runcast.has(j.run.id) && others.length) {
        const { scale95 } = findCalibrationScales(cal, 'mpl-group', at);
        const sd = (o: Judged) => o.rawLogSd * scale95;
        const verdict = decideStop({
          final: { mean: j.mean, logSd: sd(j) },
          observedUntil: j.step,
          horizon: j.run.total,
          against: { kind: 'best', others: others.map((o) => ({ mean: o.mean, logSd: sd(o) })) },
          confidence: CONFIDENCE,
        });
        if (verdict.verdict === 'stop') stopAt.runcast.set(j.run.id, at);
      }
      // MedianPruner: current loss vs the median of the other runs' losses at the same step.
      if (!stopAt.median.has(j.run.id)) {
        const vals = runs
          .filter((o) => o.id !== j.run.id && !stopAt.median.has(o.id))
          .map((o) => lossAt(o, j.step))
          .filter((v): v is number => v !== null)
          .sort((a, b) => a - b);
        if (vals.length) {
          const m =
            vals.length % 2
              ? vals[vals.length >> 1]!
              : (vals[vals.length / 2 - 1]! + vals[vals.length / 2]!) / 2;
          if (j.current > m) stopAt.median.set(j.run.id, at);
        }
      }
    }
  }
  perGroup[g] = { runs: runs.length, runcast: [], median: [] };
  for (const [name, t, stops] of [
    ['runcast', runcast, stopAt.runcast],
    ['median', median, stopAt.median],
  ] as const) {
    t.groups++;
    for (const r of runs) {
      t.runs++;
      t.computeTotal += r.total;
      const at = stops.get(r.id);
      if (at === undefined) continue;
      t.saved += (1 - at) * r.total;
      perGroup[g]![name].push(`${r.id}@${at}`);
      const fin = finals.get(r.id)!;
      if (fin === best) {
        t.bestStopped++;
        console.error(`  ${name} stopped the eventual best ${r.id} at ${at}`);
      }
      if (fin <= best * 1.003) t.nearBestStopped++;
    }
  }
}
console.log(
  '| rule | groups | runs | compute saved | eventual best stopped | within 0.3 % of best stopped |',
);
console.log('|---|---|---|---|---|---|');
for (const [name, t] of [
  ['runcast (decideStop vs best, confidence 0.95, calibrated group forecasts)', runcast],
  ['MedianPruner (current loss > median at the same step)', median],
] as const) {
  console.log(
    `| ${name} | ${t.groups} | ${t.runs} | ${((100 * t.saved) / t.computeTotal).toFixed(1)} % | ${t.bestStopped} of ${t.groups} groups | ${t.nearBestStopped} runs |`,
  );
}
saveBenchJson('early-stopping', { runcast, median, perGroup });
