/**
 * Fit accuracy bench (protocol of ../shared/REFERENCE-BACKTEST.md): the 139-run dev sample, cuts at
 * 20/40/60/80 % of the planned steps, final-loss relative error of last / power / MTL / MPL /
 * MPL group mode, and per-run 80/95 % coverage of the group-mode bands, raw and split-conformal
 * calibrated (leave-one-group-out: the scales for a run are learnt from the other groups only).
 * Run: pnpm bench fit-accuracy   (a few minutes on one core). JSON: bench/out/fit-accuracy.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  type BacktestCut,
  backtest,
  calibrate,
  findCalibrationScales,
  fitGroupShape,
  type GroupShape,
  Z80,
  Z95,
} from '../packages/fit/src/index';
import { type DevCurve, readAllCurves } from './lib/curves';
import { chooseDonors, sampleDevRuns } from './lib/sampling';

const CUTS = [0.2, 0.4, 0.6, 0.8];
const MODELS = ['last', 'power', 'mtl', 'mpl', 'mpl-group'] as const;
type Model = (typeof MODELS)[number];
type Row = {
  id: string;
  family: string;
  group: string;
  model: Model;
  at: number;
  relError: number | null;
  cut?: BacktestCut;
};

function quantile(xs: number[], q: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

export async function runFitAccuracy(): Promise<void> {
  const t0 = performance.now();
  const all = readAllCurves();
  const sample = sampleDevRuns(all);
  const only = process.env.RUNCAST_BENCH_LIMIT
    ? Number(process.env.RUNCAST_BENCH_LIMIT)
    : sample.length;
  const runs = sample.slice(0, only);
  console.error(`fit-accuracy: ${runs.length} runs (${all.length} dev curves)`);
  const rows: Row[] = [];
  const shapeCache = new Map<string, GroupShape | null>();
  const timing: Record<string, number[]> = {
    power: [],
    mtl: [],
    mpl: [],
    'mpl-group': [],
    shape: [],
  };
  for (const [ri, c] of runs.entries()) {
    const actual = c.points[c.points.length - 1]!.value;
    for (const at of CUTS) {
      const cut = Math.floor(at * c.total);
      const seen = c.points.filter((p) => p.step <= cut);
      const last = seen[seen.length - 1];
      rows.push({
        id: c.id,
        family: c.family,
        group: c.group,
        model: 'last',
        at,
        relError: last ? Math.abs(last.value - actual) / actual : null,
      });
    }
    for (const model of ['power', 'mtl', 'mpl'] as const) {
      const t = performance.now();
      const bt = backtest({
        points: c.points,
        schedule: c.schedule,
        at: CUTS,
        model,
        fallback: false,
      });
      timing[model]!.push((performance.now() - t) / CUTS.length);
      for (const k of bt.cuts)
        rows.push({
          id: c.id,
          family: c.family,
          group: c.group,
          model,
          at: k.at,
          relError: k.relError,
          cut: k,
        });
    }
    for (const at of CUTS) {
      const donors = chooseDonors(c, all, Math.floor(at * c.total));
      const key = donors.map((d) => `${d.id}:${d.points[0]?.step}`).join('|');
      if (!shapeCache.has(key)) {
        const t = performance.now();
        shapeCache.set(key, donors.length ? fitGroupShape(donors) : null);
        timing.shape!.push(performance.now() - t);
      }
      const shape = shapeCache.get(key)!;
      if (!shape) {
        rows.push({
          id: c.id,
          family: c.family,
          group: c.group,
          model: 'mpl-group',
          at,
          relError: null,
        });
        continue;
      }
      const t = performance.now();
      const bt = backtest({
        points: c.points,
        schedule: c.schedule,
        at: [at],
        model: 'mpl',
        group: { shape, donors },
      });
      timing['mpl-group']!.push(performance.now() - t);
      const k = bt.cuts[0]!;
      rows.push({
        id: c.id,
        family: c.family,
        group: c.group,
        model: 'mpl-group',
        at,
        relError: k.relError,
        cut: k,
      });
    }
    if ((ri + 1) % 10 === 0)
      console.error(
        `  ${ri + 1}/${runs.length} runs, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }

  // Coverage per run: raw bands, and leave-one-group-out split-conformal calibrated bands.
  // Leave-one-run-out is what a store serves by default (calibration-service.ts forRun: every other
  // finished run's cuts, never the run's own); leave-one-group-out is the stricter check.
  const coverage: Record<
    string,
    {
      n: number;
      raw80: number;
      raw95: number;
      def80: number;
      def95: number;
      cal80: number;
      cal95: number;
      loro80: number;
      loro95: number;
      width80: number[];
      loroWidth80: number[];
    }
  > = {};
  const groupCuts = rows.filter((r) => r.model === 'mpl-group' && r.cut?.final);
  for (const r of groupCuts) {
    const others = groupCuts.filter((o) => o.group !== r.group).map((o) => [o.cut!]);
    const cal = calibrate({ backtests: others });
    const { scale80, scale95 } = findCalibrationScales(cal, 'mpl-group', r.at);
    const loro = findCalibrationScales(
      calibrate({ backtests: groupCuts.filter((o) => o.id !== r.id).map((o) => [o.cut!]) }),
      'mpl-group',
      r.at,
    );
    const k = r.cut!;
    const z = Math.abs(Math.log(k.actual / k.mean));
    for (const key of [`${r.at}`, 'all', `${r.family}@all`]) {
      const e = (coverage[key] ??= {
        n: 0,
        raw80: 0,
        raw95: 0,
        def80: 0,
        def95: 0,
        cal80: 0,
        cal95: 0,
        loro80: 0,
        loro95: 0,
        width80: [],
        loroWidth80: [],
      });
      e.n++;
      e.raw80 += Number(z <= Z80 * k.rawLogSd);
      e.raw95 += Number(z <= Z95 * k.rawLogSd);
      e.def80 += Number(k.covered80 === true);
      e.def95 += Number(k.covered95 === true);
      e.cal80 += Number(z <= Z80 * scale80 * k.rawLogSd);
      e.cal95 += Number(z <= Z95 * scale95 * k.rawLogSd);
      e.width80.push(2 * Z80 * scale80 * k.rawLogSd);
      e.loro80 += Number(z <= Z80 * loro.scale80 * k.rawLogSd);
      e.loro95 += Number(z <= Z95 * loro.scale95 * k.rawLogSd);
      e.loroWidth80.push(2 * Z80 * loro.scale80 * k.rawLogSd);
    }
  }

  const families = ['all', ...new Set(runs.map((r) => r.family))];
  const table: Record<
    string,
    Record<string, Record<string, { median: number; p90: number; n: number }>>
  > = {};
  for (const fam of families) {
    table[fam] = {};
    for (const m of MODELS) {
      table[fam]![m] = {};
      for (const at of CUTS) {
        const errs = rows
          .filter(
            (r) =>
              r.model === m &&
              r.at === at &&
              (fam === 'all' || r.family === fam) &&
              r.relError !== null,
          )
          .map((r) => 100 * r.relError!);
        table[fam]![m]![at] = {
          median: quantile(errs, 0.5),
          p90: quantile(errs, 0.9),
          n: errs.length,
        };
      }
    }
  }
  const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
  for (const fam of families) {
    console.log(
      `\n### ${fam === 'all' ? 'All families' : `Family ${fam}`}: median / p90 relative error of the final loss, % (n)`,
    );
    console.log(`| model | ${CUTS.map((c) => `cut ${c}`).join(' | ')} |`);
    console.log(`|---|${CUTS.map(() => '---').join('|')}|`);
    for (const m of MODELS) {
      const cells = CUTS.map((at) => {
        const e = table[fam]![m]![at]!;
        return `${fmt(e.median)} / ${fmt(e.p90)} (${e.n})`;
      });
      console.log(`| ${m} | ${cells.join(' | ')} |`);
    }
  }
  console.log('\n### Ratios (all families): median error of last and power divided by mpl-group');
  for (const at of CUTS) {
    const g = table.all!['mpl-group']![at]!.median;
    console.log(
      `cut ${at}: last/group = ${fmt(table.all!.last![at]!.median / g)}x, power/group = ${fmt(table.all!.power![at]!.median / g)}x`,
    );
  }
  console.log('\n### Coverage per run of the mpl-group final-loss bands, % (nominal 80 / 95)');
  console.log(
    '| cut | n | raw (normal) 80 / 95 | uncalibrated (Student-t) 80 / 95 | served: calibrated on the other runs (leave-one-run-out) 80 / 95 | calibrated (leave-one-group-out) 80 / 95 | median served 80% width (log) | median LOGO 80% width (log) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const key of [
    ...CUTS.map(String),
    'all',
    ...families.filter((f) => f !== 'all').map((f) => `${f}@all`),
  ]) {
    const e = coverage[key];
    if (!e) continue;
    const pct = (v: number) => ((100 * v) / e.n).toFixed(0);
    console.log(
      `| ${key} | ${e.n} | ${pct(e.raw80)} / ${pct(e.raw95)} | ${pct(e.def80)} / ${pct(e.def95)} | ${pct(e.loro80)} / ${pct(e.loro95)} | ${pct(e.cal80)} / ${pct(e.cal95)} | ${(100 * quantile(e.loroWidth80, 0.5)).toFixed(2)}% | ${(100 * quantile(e.width80, 0.5)).toFixed(2)}% |`,
    );
  }
  console.log(
    "\n### Coverage per run of every model's default bands (no calibration data), % (nominal 80 / 95)",
  );
  console.log(`| model | ${CUTS.map((c) => `cut ${c}`).join(' | ')} |`);
  console.log(`|---|${CUTS.map(() => '---').join('|')}|`);
  for (const m of MODELS.filter((x) => x !== 'last')) {
    const cells = CUTS.map((at) => {
      const cs = rows
        .filter((r) => r.model === m && r.at === at && r.cut?.final)
        .map((r) => r.cut!);
      const p = (f: (c: BacktestCut) => boolean) =>
        ((100 * cs.filter(f).length) / Math.max(cs.length, 1)).toFixed(0);
      return `${p((c) => c.covered80 === true)} / ${p((c) => c.covered95 === true)}`;
    });
    console.log(`| ${m} | ${cells.join(' | ')} |`);
  }
  const med = (xs: number[]) => quantile(xs, 0.5);
  console.log(
    `\nmedian ms per forecast: power ${fmt(med(timing.power!))}, mtl ${fmt(med(timing.mtl!))}, mpl ${fmt(med(timing.mpl!))}, mpl-group (shape cached) ${fmt(med(timing['mpl-group']!))}, group shape fit ${fmt(med(timing.shape!))} (n=${timing.shape!.length})`,
  );
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./out/fit-accuracy.json', import.meta.url),
    JSON.stringify(
      {
        runs: runs.map((r: DevCurve) => r.id),
        table,
        coverage,
        timing: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, med(v)])),
        rows: rows.map(({ cut, ...r }) => ({
          ...r,
          final: cut?.final ?? null,
          rawLogSd: cut?.rawLogSd ?? null,
        })),
      },
      null,
      1,
    ),
  );
}

await runFitAccuracy();
