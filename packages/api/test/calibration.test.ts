import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Forecast, ScheduleSpec } from '@runcast/core';
import { calibrate, decideStop, findCalibrationScales, Z80, Z95 } from '@runcast/fit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, openLocalApi } from '../src/index';
import { openTestApi } from './open-test-api';

/**
 * The bands' calibration from the store's own finished runs: real curves of two groups
 * (../shared/data/curves, converted to JSONL logs in a temp dir, never committed), finished runs
 * with their declared schedules, and two runs of the first group still running at 40 %.
 */
const CURVES = fileURLToPath(new URL('../../../../shared/data/curves/', import.meta.url));
const GROUPS = ['mpl-25M', 'mpl-100M'];
const RUNNING = ['mpl-25M-wsd_20000_24000', 'mpl-25M-cosine_72000'];
const TARGET = RUNNING[0]!;
const RUNNING_SHARE = 0.4;

interface Curve {
  name: string;
  group: string;
  points: [number, number, number][];
  schedule: ScheduleSpec;
}

function readCurves(): Curve[] {
  const out: Curve[] = [];
  for (const file of readdirSync(CURVES).sort()) {
    if (!file.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(CURVES, file), 'utf8')) as {
      group: string;
      points: [number, number, number][];
      schedule: { total_steps: number; segments: ScheduleSpec['segments'] };
    };
    if (!GROUPS.includes(data.group)) continue;
    const name = file.replace(/\.json$/, '');
    const running = RUNNING.includes(name);
    const limit = running ? RUNNING_SHARE * data.schedule.total_steps : Number.POSITIVE_INFINITY;
    out.push({
      name,
      group: data.group,
      points: data.points.filter(([step]) => step <= limit),
      schedule: {
        kind: 'segments',
        segments: data.schedule.segments,
        total: data.schedule.total_steps,
      },
    });
  }
  return out;
}

type Diagnostics = {
  calibration: { calibrated: boolean; backtests: number; samples: number; version: string };
  uncertainty: { scale80: number; scale95: number; rawLogSd: number };
  cache: string;
};

const diagnosticsOf = (f: Forecast) => f.diagnostics as unknown as Diagnostics;
const logWidth = (lo: number, hi: number) => Math.log(hi) - Math.log(lo);

describe('calibration of the served bands from the store’s finished runs', () => {
  const api = openTestApi();
  const curves = readCurves();
  const finished = curves.filter((c) => !RUNNING.includes(c.name));

  beforeAll(async () => {
    for (const group of GROUPS) {
      const dir = join(api.dir, 'logs', group);
      mkdirSync(dir, { recursive: true });
      for (const c of curves.filter((x) => x.group === group)) {
        const lines = c.points.map(([step, loss, lr]) => JSON.stringify({ step, loss, lr }));
        writeFileSync(join(dir, `${c.name}.jsonl`), `${lines.join('\n')}\n`);
      }
      const summary = await api.services.ingest.ingestFiles({ paths: [dir], group });
      expect(summary.status).toBe('completed');
    }
    for (const c of curves) {
      const run = await api.caller.runs.resolve({ ref: c.name });
      const status = RUNNING.includes(c.name) ? 'running' : 'finished';
      await api.caller.runs.update({ id: run.id, status, schedule: c.schedule });
    }
  });
  afterAll(() => api.close());

  it('answers from the previous state while a refresh runs, then calibrates from K backtests', async () => {
    const target = await api.caller.runs.resolve({ ref: TARGET });
    const before = await api.caller.forecasts.get({ runId: target.id });
    expect(diagnosticsOf(before).calibration).toMatchObject({ calibrated: false, backtests: 0 });

    let settled = false;
    const refreshing = api.services.refreshCalibration().then((s) => {
      settled = true;
      return s;
    });
    expect(api.services.calibration.isRunning()).toBe(true);
    // A request meanwhile neither waits for the refresh nor sees a half-made calibration.
    const during = await api.caller.forecasts.get({ runId: target.id, model: 'mpl' });
    expect(settled).toBe(false);
    expect(diagnosticsOf(during).calibration.calibrated).toBe(false);
    // Midway (a few cuts backtested, one per turn of the event loop): still the previous state.
    for (let i = 0; i < 8; i++) await new Promise((resolve) => setImmediate(resolve));
    const midway = await api.caller.forecasts.get({ runId: target.id, model: 'mpl' });
    expect(settled).toBe(false);
    expect(diagnosticsOf(midway).calibration.calibrated).toBe(false);
    const summary = await refreshing;
    expect(summary.calibrated).toBe(true);
    // Every finished run was backtested (the running ones are not finished).
    expect(summary.backtests).toBe(finished.length);

    const after = await api.caller.forecasts.get({ runId: target.id });
    const d = diagnosticsOf(after);
    expect(d.calibration).toMatchObject({ calibrated: true, backtests: finished.length });
    // A new calibration version is a new cache key: the uncalibrated answer is not served again.
    expect(d.cache).toBe('miss');
    expect(after.final.mean).toBeCloseTo(before.final.mean, 10);

    // Refreshing with the same finished runs keeps the calibration (and the cache).
    const again = await api.services.refreshCalibration();
    expect(again.version).toBe(summary.version);
    expect(diagnosticsOf(await api.caller.forecasts.get({ runId: target.id })).cache).toBe('hit');
  });

  it('widens or narrows the bands as the backtest errors at that cut say', async () => {
    const target = await api.caller.runs.resolve({ ref: TARGET });
    const state = api.services.calibration.current();
    expect(state?.calibration).not.toBeNull();
    const calibrated = await api.caller.forecasts.get({ runId: target.id });
    const progress = calibrated.observedUntil / calibrated.horizon;
    // The standardised errors of the backtests of that model at the cut nearest the run's progress.
    const cuts = state!.samples.filter((s) => s.model === calibrated.model);
    const nearest = cuts.reduce((a, s) =>
      Math.abs(s.at - progress) < Math.abs(a.at - progress) ? s : a,
    ).at;
    const zs = cuts
      .filter((s) => s.at === nearest)
      .map((s) => Math.abs(Math.log(s.actual / s.mean)) / s.rawLogSd);
    expect(zs.length).toBeGreaterThanOrEqual(8);

    // Uncalibrated: the same forecast from a store without a calibration (a fresh service layer).
    const plain = openLocalApi({ db: api.dbPath });
    try {
      const uncalibrated = await plain.caller.forecasts.get({ runId: target.id });
      expect(diagnosticsOf(uncalibrated).calibration.calibrated).toBe(false);
      expect(uncalibrated.final.mean).toBeCloseTo(calibrated.final.mean, 10);
      const u = diagnosticsOf(uncalibrated).uncertainty;
      const c = diagnosticsOf(calibrated).uncertainty;
      const covered = (scale: number, z: number) =>
        zs.filter((x) => x <= scale * z).length / zs.length;
      // The factors are the split-conformal quantiles of those errors, worked out here:
      // the k-th smallest with k = ceil((n + 1) q), extrapolated from the maximum past n.
      const sorted = [...zs].sort((x, y) => x - y);
      const n = sorted.length;
      const quantile = (q: number) => {
        const k = Math.ceil((n + 1) * q);
        return k > n ? sorted[n - 1]! * (1 + (k - n) / n) : sorted[k - 1]!;
      };
      expect(c.scale80).toBeCloseTo(quantile(0.8) / Z80, 10);
      expect(c.scale95).toBeCloseTo(quantile(0.95) / Z95, 10);
      const w80 = (f: Forecast) => logWidth(f.final.lo80, f.final.hi80);
      const w95 = (f: Forecast) => logWidth(f.final.lo95, f.final.hi95);
      // Uncalibrated, the 80% band missed more than its share of these errors (11 of 16
      // covered): the calibrated one is wider. Its 95% band covered all of them with less than
      // 1.5x to spare at the largest: narrowing is not warranted by so few errors either way.
      expect(covered(u.scale80, Z80)).toBeLessThan(0.8);
      expect(w80(calibrated)).toBeGreaterThan(w80(uncalibrated));
      expect(covered(u.scale95, Z95)).toBe(1);
      expect(w95(calibrated) / w95(uncalibrated)).toBeCloseTo(c.scale95 / u.scale95, 2);
      // The bands differ by their scale only: same model, same raw s.d.
      expect(w80(calibrated) / w80(uncalibrated)).toBeCloseTo(c.scale80 / u.scale80, 2);
    } finally {
      plain.close();
    }
  });

  it('never calibrates a run on its own backtest: its cuts are left out (leave-one-run-out)', async () => {
    const state = api.services.calibration.current()!;
    expect(state.calibration).not.toBeNull();
    // A finished run whose own backtest errors move the conformal quantiles (its errors are in the
    // upper tail of some cut): with its cuts left in, its bands would be learnt from its outcome.
    let chosen: { id: number; others: typeof state.samples } | null = null;
    for (const c of finished) {
      const run = await api.caller.runs.resolve({ ref: c.name });
      const others = state.samples.filter((s) => s.runId !== run.id);
      expect(others.length).toBeLessThan(state.samples.length);
      const loo = calibrate({ backtests: [others] });
      if (JSON.stringify(loo.entries) !== JSON.stringify(state.calibration!.entries)) {
        chosen = { id: run.id, others };
        break;
      }
    }
    expect(chosen).not.toBeNull();
    const { id, others } = chosen!;
    const view = api.services.calibration.forRun(id)!;
    expect(view).toMatchObject({
      leftOut: id,
      samples: others.length,
      backtests: finished.length - 1,
    });
    expect(view.calibration!.entries).toEqual(calibrate({ backtests: [others] }).entries);

    // Its forecast from each cut (a backtest through the forecast endpoint) uses the scales learnt
    // from the other runs only, wherever they differ from the scales with its own cuts in.
    let differing = 0;
    for (const at of [0.2, 0.4, 0.6, 0.8]) {
      const full = await api.caller.forecasts.get({ runId: id });
      const until = Math.floor(at * full.horizon);
      const f = await api.caller.forecasts.get({ runId: id, until });
      const u = diagnosticsOf(f).uncertainty;
      const progress = f.observedUntil / f.horizon;
      const loo = findCalibrationScales(view.calibration!, f.model, progress);
      const all = findCalibrationScales(state.calibration!, f.model, progress);
      expect(u.scale80).toBe(loo.scale80);
      expect(u.scale95).toBe(loo.scale95);
      if (loo.scale80 !== all.scale80 || loo.scale95 !== all.scale95) differing++;
      expect(diagnosticsOf(f).calibration).toMatchObject({
        calibrated: true,
        backtests: finished.length - 1,
        samples: others.length,
      });
    }
    expect(differing).toBeGreaterThan(0);

    // The backtest endpoint too: calibrated bands by default, from the other runs only.
    const bt = await api.caller.forecasts.backtest({ runId: id });
    expect(bt.calibration).toMatchObject({ calibrated: true, leftOut: id });
    const raw = await api.caller.forecasts.backtest({ runId: id, calibrate: false });
    expect(raw.calibration).toMatchObject({ calibrated: false, requested: false });
    let widthsDiffer = 0;
    for (const [i, c] of bt.cuts.entries()) {
      const r = raw.cuts[i]!;
      if (!c.final || !r.final) continue;
      expect(c.final.mean).toBeCloseTo(r.final.mean, 10);
      if (
        Math.abs(logWidth(c.final.lo80, c.final.hi80) - logWidth(r.final.lo80, r.final.hi80)) > 1e-9
      )
        widthsDiffer++;
    }
    expect(widthsDiffer).toBeGreaterThan(0);
  });

  it('--no-calibrate (calibrate: false) serves the raw bands, the default the calibrated ones', async () => {
    const target = await api.caller.runs.resolve({ ref: TARGET });
    const calibrated = await api.caller.forecasts.get({ runId: target.id });
    const raw = await api.caller.forecasts.get({ runId: target.id, calibrate: false });
    expect(diagnosticsOf(calibrated).calibration.calibrated).toBe(true);
    expect(diagnosticsOf(raw).calibration).toMatchObject({ calibrated: false, requested: false });
    expect(raw.final.mean).toBeCloseTo(calibrated.final.mean, 10);
    expect(logWidth(raw.final.lo80, raw.final.hi80)).not.toBeCloseTo(
      logWidth(calibrated.final.lo80, calibrated.final.hi80),
      6,
    );
    const verdict = await api.caller.decisions.shouldStop({ runId: target.id, target: 3 });
    const rawVerdict = await api.caller.decisions.shouldStop({
      runId: target.id,
      target: 3,
      calibrate: false,
    });
    expect(verdict.final.hi80).toBeCloseTo(calibrated.final.hi80, 10);
    expect(rawVerdict.final.hi80).toBeCloseTo(raw.final.hi80, 10);
  });

  it('should-stop pairs two running runs of one group by their backtested error correlation', async () => {
    const [a, b] = await Promise.all(RUNNING.map((ref) => api.caller.runs.resolve({ ref })));
    const verdict = await api.caller.decisions.shouldStop({ runId: a!.id, vs: b!.id });
    const correlation = verdict.correlation!;
    expect(correlation.source).toBe('group');
    // Runs of one group share their forecast errors: a clearly positive estimate, inside the
    // clamp [0, 0.9] rather than at either end of it (on these curves about 0.18 from 84 pairs).
    expect(correlation.value).toBeGreaterThan(0.05);
    expect(correlation.value).toBeLessThan(0.6);
    expect(correlation.pairs).toBeGreaterThanOrEqual(20);
    const other = verdict.other as { final: { mean: number; logSd: number }; source: string };
    expect(other.source).toBe('forecast');
    // Treating the forecasts as independent would give a verdict no more decisive.
    const independent = decideStop({
      final: verdict.final,
      observedUntil: verdict.observedUntil,
      horizon: verdict.horizon,
      against: { kind: 'run', other: other.final as never },
    });
    expect(Math.abs(verdict.probability - 0.5)).toBeGreaterThanOrEqual(
      Math.abs(independent.probability - 0.5) - 1e-12,
    );
    // Against the best of the group (finished runs compare by their observed loss).
    const best = await api.caller.decisions.shouldStop({ runId: a!.id, vs: 'best' });
    expect(best.correlation?.value).toBe(correlation.value);
    // A target involves no second forecast.
    const target = await api.caller.decisions.shouldStop({ runId: a!.id, target: 3 });
    expect(target.correlation).toBeUndefined();
  });

  it('the server recalibrates in the background when the finished runs change', async () => {
    const before = api.services.calibration.summary();
    // A run stopped at 40 % of its plan and marked finished: backtested at the cuts before its end.
    const stopped = await api.caller.runs.resolve({ ref: RUNNING[1]! });
    await api.caller.runs.update({ id: stopped.id, status: 'finished' });
    // A finished run found crashed leaves the calibration set.
    const crashed = await api.caller.runs.resolve({ ref: finished[0]!.name });
    await api.caller.runs.update({ id: crashed.id, status: 'crashed' });
    const server = await createServer({
      db: api.services.db,
      services: api.services,
      port: 0,
      calibration: { delayMs: 0 },
    });
    try {
      const read = async () => {
        const res = await fetch(`${server.url}/trpc/forecasts.calibration`);
        return ((await res.json()) as { result: { data: { backtests: number; version: string } } })
          .result.data;
      };
      await vi.waitFor(async () => expect((await read()).version).not.toBe(before.version), {
        timeout: 20_000,
        interval: 50,
      });
      expect((await read()).backtests).toBe(finished.length);
      const cuts = api.services.calibration.current()!.samples;
      expect(cuts.some((c) => c.runId === crashed.id)).toBe(false);
      const early = cuts.filter((c) => c.runId === stopped.id);
      expect(early.length).toBeGreaterThan(0);
      for (const c of early) expect(c.at).toBeLessThan(RUNNING_SHARE);
      // Its backtest says why the cuts past its end carry no forecast.
      const bt = await api.caller.forecasts.backtest({ runId: stopped.id });
      const late = bt.cuts.filter((c) => c.at > RUNNING_SHARE);
      expect(late.length).toBeGreaterThan(0);
      for (const c of late) {
        expect(c).toMatchObject({ skipped: 'cut at or after the last observed step', final: null });
        expect(c.error).toBeUndefined();
      }
    } finally {
      await server.close();
    }
  });
});
