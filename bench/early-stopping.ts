/**
 * Early-stopping bench: in every group of the dev sample, runs are replayed side by side and judged
 * at 20, 30, ..., 90 % of their planned steps. Runcast stops a run when
 * decideStop() of the decisions module says 'stop' against the best of the other runs (P(it ends
 * below all of them) < 1 - confidence, 0.95), using the group-mode forecasts with leave-one-group-out
 * calibrated bands; Optuna's MedianPruner rule stops it when its current loss is worse than the median of the
 * other runs' losses at the same step. Reported: compute saved, and how often the eventual best run
 * (or a run within 0.3 % of it) was stopped, pooled and per family. The paired rule passes decideStop
 * the correlation of the forecast errors of runs of one group, estimated (leave-one-group-out, per cut)
 * from the other groups' backtests by estimateErrorCorrelation; the decision-level variant also takes
 * the widths from there, calibrated at the decision's own level (P < 5 % one-sided = the 90 % quantile of
 * the symmetric |paired difference|). The margin variant counts ending within 0.3 % of the best as a
 * success. The oracle ceiling shows what any rule judging at these cuts could save.
 * EARLY_STOPPING_REUSE=1 replays the saved forecasts (scoring only). Run: pnpm bench early-stopping
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  backtest,
  calibrate,
  decideStop,
  estimateErrorCorrelation,
  findCalibrationScales,
  fitGroupShape,
} from '../packages/fit/src/index';
import { type DevCurve, readAllCurves } from './lib/curves';
import { saveBenchJson } from './lib/measure';
import { chooseDonors, sampleDevRuns } from './lib/sampling';

const CUTS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const CONFIDENCE = 0.95;
/** A run ending within this relative margin of the eventual best counts as as good as the best. */
const NEAR_BEST = 0.003;

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
// EARLY_STOPPING_REUSE=1 replays the forecasts of the previous run (bench/out/early-stopping-judged.json).
const REUSE_PATH = fileURLToPath(new URL('./out/early-stopping-judged.json', import.meta.url));
if (process.env.EARLY_STOPPING_REUSE === '1' && existsSync(REUSE_PATH)) {
  const byId = new Map(sample.map((c) => [c.id, c]));
  const saved = JSON.parse(readFileSync(REUSE_PATH, 'utf8')) as Array<
    Omit<Judged, 'run'> & { id: string }
  >;
  for (const { id, ...rest } of saved) judged.push({ run: byId.get(id)!, ...rest });
} else {
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
  saveBenchJson(
    'early-stopping-judged',
    judged.map(({ run, ...rest }) => ({ id: run.id, ...rest })),
  );
}
const finalOf = (c: DevCurve) => c.points[c.points.length - 1]!.value;

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
const RULES = [
  'runcast-paired-decision-level',
  'runcast-paired-margin',
  'runcast-paired',
  'runcast-independent',
  'median',
] as const;
type Rule = (typeof RULES)[number];
const RULE_TITLES: Record<Rule, string> = {
  'runcast-paired-decision-level':
    'runcast paired, widths and correlation calibrated at the decision’s own level (one-sided 95 % = |paired difference| 90 %)',
  'runcast-paired-margin': `runcast paired, success = ending within ${100 * NEAR_BEST} % of the best (the bench's own tolerance)`,
  'runcast-paired':
    'runcast (decideStop vs best, paired: error correlation from the other groups’ backtests)',
  'runcast-independent': 'runcast, forecasts treated as independent (previous rule)',
  median: 'MedianPruner (current loss > median at the same step)',
};
const families = [...new Set(sample.map((c) => c.family))].sort();
const tallies = new Map<string, Tally>();
const tallyOf = (rule: Rule, scope: string): Tally => {
  const key = `${rule}\u0000${scope}`;
  if (!tallies.has(key)) tallies.set(key, tally());
  return tallies.get(key)!;
};
const perGroup: Record<string, { runs: number; correlation: number[] } & Record<Rule, string[]>> =
  {};
for (const [g, runs] of groups) {
  if (runs.length < 3) continue;
  // Leave-one-group-out: calibration and error correlation from the other groups only.
  const rest = judged.filter((j) => j.run.group !== g);
  const cal = calibrate({
    backtests: rest.map((j) => [
      { model: 'mpl-group', at: j.at, mean: j.mean, rawLogSd: j.rawLogSd, actual: finalOf(j.run) },
    ]),
  });
  const errorsAt = (at: number, coverage: number) =>
    estimateErrorCorrelation({
      samples: rest
        .filter((j) => j.at === at)
        .map((j) => ({
          group: j.run.group,
          at: j.at,
          mean: j.mean,
          logSd: j.rawLogSd,
          actual: finalOf(j.run),
        })),
      coverage,
    });
  const correlationAt = new Map(CUTS.map((at) => [at, errorsAt(at, 0.95).correlation]));
  // Calibrated at the level of the decision itself: P(beats) < 1 - c is a one-sided statement at c
  // about a symmetric paired difference, i.e. the two-sided quantile 2c - 1 of |difference|.
  const decisionLevelAt = new Map(CUTS.map((at) => [at, errorsAt(at, 2 * CONFIDENCE - 1)]));
  const finals = new Map(runs.map((r) => [r.id, finalOf(r)]));
  const best = Math.min(...finals.values());
  const stopAt = new Map<Rule, Map<string, number>>(RULES.map((r) => [r, new Map()]));
  for (const at of CUTS) {
    const here = judged.filter((j) => j.run.group === g && j.at === at);
    const { scale95 } = findCalibrationScales(cal, 'mpl-group', at);
    const sd = (o: Judged) => o.rawLogSd * scale95;
    for (const j of here) {
      // Runcast: compare with the forecast finals of the other (still running) runs.
      for (const rule of [
        'runcast-paired-decision-level',
        'runcast-paired-margin',
        'runcast-paired',
        'runcast-independent',
      ] as const) {
        const stops = stopAt.get(rule)!;
        if (stops.has(j.run.id)) continue;
        const others = here.filter((o) => o.run.id !== j.run.id && !stops.has(o.run.id));
        if (!others.length) continue;
        const level = decisionLevelAt.get(at)!;
        const decisionLevel = rule === 'runcast-paired-decision-level';
        const width = (o: Judged) => (decisionLevel ? o.rawLogSd * level.scale : sd(o));
        const verdict = decideStop({
          final: { mean: j.mean, logSd: width(j) },
          observedUntil: j.step,
          horizon: j.run.total,
          against: {
            kind: 'best',
            others: others.map((o) => ({ mean: o.mean, logSd: width(o) })),
            correlation:
              rule === 'runcast-independent'
                ? 0
                : decisionLevel
                  ? level.correlation
                  : correlationAt.get(at)!,
            margin: rule === 'runcast-paired-margin' ? NEAR_BEST : 0,
          },
          confidence: CONFIDENCE,
        });
        if (verdict.verdict === 'stop') stops.set(j.run.id, at);
      }
      // MedianPruner: current loss vs the median of the other runs' losses at the same step.
      const medianStops = stopAt.get('median')!;
      if (!medianStops.has(j.run.id)) {
        const vals = runs
          .filter((o) => o.id !== j.run.id && !medianStops.has(o.id))
          .map((o) => lossAt(o, j.step))
          .filter((v): v is number => v !== null)
          .sort((a, b) => a - b);
        if (vals.length) {
          const m =
            vals.length % 2
              ? vals[vals.length >> 1]!
              : (vals[vals.length / 2 - 1]! + vals[vals.length / 2]!) / 2;
          if (j.current > m) medianStops.set(j.run.id, at);
        }
      }
    }
  }
  perGroup[g] = {
    runs: runs.length,
    correlation: CUTS.map((at) => Number(correlationAt.get(at)!.toFixed(3))),
    'runcast-paired-decision-level': [],
    'runcast-paired-margin': [],
    'runcast-paired': [],
    'runcast-independent': [],
    median: [],
  };
  const family = runs[0]!.family;
  for (const rule of RULES) {
    const stops = stopAt.get(rule)!;
    for (const t of [tallyOf(rule, 'all'), tallyOf(rule, family)]) {
      t.groups++;
      for (const r of runs) {
        t.runs++;
        t.computeTotal += r.total;
        const at = stops.get(r.id);
        if (at === undefined) continue;
        t.saved += (1 - at) * r.total;
        const fin = finals.get(r.id)!;
        if (fin === best) t.bestStopped++;
        if (fin <= best * (1 + NEAR_BEST)) t.nearBestStopped++;
      }
    }
    for (const r of runs) {
      const at = stops.get(r.id);
      if (at === undefined) continue;
      perGroup[g]![rule].push(`${r.id}@${at}`);
      if (finals.get(r.id) === best)
        console.error(`  ${rule} stopped the eventual best ${r.id} at ${at}`);
    }
  }
}
console.log(
  '| rule | scope | groups | runs | compute saved | eventual best stopped | within 0.3 % of best stopped |',
);
console.log('|---|---|---|---|---|---|---|');
for (const rule of RULES) {
  for (const scope of ['all', ...families]) {
    const t = tallyOf(rule, scope);
    console.log(
      `| ${RULE_TITLES[rule]} | ${scope} | ${t.groups} | ${t.runs} | ${((100 * t.saved) / t.computeTotal).toFixed(1)} % | ${t.bestStopped} of ${t.groups} groups | ${t.nearBestStopped} runs |`,
    );
  }
}
// What any rule judging at these cuts could save: stop, at the first cut, every run that does not end
// within NEAR_BEST of its group's best (the oracle: it knows the finals).
for (const scope of ['all', ...families]) {
  let total = 0;
  let saved = 0;
  for (const [, runs] of groups) {
    if (runs.length < 3 || (scope !== 'all' && runs[0]!.family !== scope)) continue;
    const best = Math.min(...runs.map(finalOf));
    for (const r of runs) {
      total += r.total;
      if (finalOf(r) > best * (1 + NEAR_BEST)) saved += (1 - CUTS[0]!) * r.total;
    }
  }
  console.log(
    `oracle ceiling (${scope}): ${((100 * saved) / total).toFixed(1)} % saved without stopping a run within ${100 * NEAR_BEST} % of the best`,
  );
}
console.log(
  `error correlation per cut ${CUTS.join('/')} (leave-one-group-out, one row per group):`,
);
for (const [g, v] of Object.entries(perGroup)) console.log(`  ${g}: ${v.correlation.join(' ')}`);
saveBenchJson('early-stopping', {
  tallies: Object.fromEntries(tallies),
  perGroup,
});
