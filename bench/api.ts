/**
 * `pnpm bench api`: the API server on a real store over HTTP (127.0.0.1, ephemeral port).
 * 1. A 1,000,000-point series served with a 2,000-point budget: p50/p95 latency of series.points
 *    (target p50 <= 30 ms), full range and a zoomed range; baseline: reading the raw rows from
 *    SQLite once (readSeries), measured in the same run.
 * 2. A forecast of a 24k-step run (simulated, every step logged), cold and cached
 *    (targets: cold <= 300 ms, cached <= 5 ms), single-run and group mode (3 finished donors).
 * 3. Sustained push throughput over POST /api/v1/push from 4 clients while 2 readers poll series
 *    and forecasts (target >= 200k points/s); baseline: the same batches written in-process.
 * 4. Calibration of the served bands (calibration-service.ts) on the real curves of every group of
 *    6-13 runs (../shared/data/curves, pushed finished with their schedules): the refresh's time, and
 *    the coverage at nominal 80/95 % of the backtest cuts held out of the calibration (by run and by
 *    group), vs the uncalibrated bands served before (and the raw normal bands), same cuts.
 * 5. No reader stalls the server (api-stall.ts): /healthz p99 and push p50 while 4 clients hammer
 *    forecasts of 10M-step runs on `runcast serve` (its worker pool), its RSS, and a 100k-key push
 *    refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, openLocalApi } from '../packages/api/src/index';
import { calibrate, findCalibrationScales, Z80, Z95 } from '../packages/fit/src/index';
import { runStallBench } from './api-stall';
import { readAllCurves } from './lib/curves';
import { saveBenchJson } from './lib/measure';

const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-api-'));
const server = await createServer({
  db: join(dir, 'bench.db'),
  port: 0,
  pushRate: { perSecond: 1e6, burst: 1e6 },
});
const { services } = server;
const token = (await services.tokens.create({ name: 'bench', scope: 'write' })).secret;
const base = `http://127.0.0.1:${server.port}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function summarize(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), n: times.length };
}

async function query(path: string, input: unknown): Promise<{ ms: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(
    `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
  );
  const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
  const ms = performance.now() - t;
  if (!res.ok)
    throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error).slice(0, 300)}`);
  return { ms, body: body.result?.data };
}

const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 1);

// 1. A 1M-point series.
const N = 1_000_000;
const tWrite = performance.now();
for (let start = 0; start < N; start += 100_000) {
  await services.push.push({
    project: 'bench',
    run: 'million',
    points: Array.from({ length: 100_000 }, (_, i) => {
      const step = start + i;
      return { step, metrics: { loss: 2 + 8 / Math.sqrt(1 + step / 50) + 0.01 * Math.sin(step) } };
    }),
  });
}
const writeMs = performance.now() - tWrite;
const million = (await services.runs.list({ project: 'bench' }))[0]!;
const tRaw = performance.now();
const raw = await services.db.points.read({ runId: million.id, key: 'loss' });
const rawReadMs = performance.now() - tRaw;
const firstRead = await query('series.points', { runId: million.id, key: 'loss', maxPoints: 2000 });
const full: number[] = [];
const zoom: number[] = [];
for (let i = 0; i < 40; i++) {
  full.push((await query('series.points', { runId: million.id, key: 'loss', maxPoints: 2000 })).ms);
  const from = (i * 20_011) % 900_000;
  zoom.push(
    (
      await query('series.points', {
        runId: million.id,
        key: 'loss',
        maxPoints: 2000,
        from,
        to: from + 100_000,
      })
    ).ms,
  );
}
const seriesResult = {
  points: raw.steps.length,
  writeMs,
  rawSqliteReadMs: rawReadMs,
  firstRequestMs: firstRead.ms,
  full: summarize(full),
  zoom100k: summarize(zoom),
};
console.log(
  `1M-point series (written in-process in ${fmt(writeMs / 1000)} s): raw SQLite read of all rows ${fmt(rawReadMs)} ms; ` +
    `first request ${fmt(firstRead.ms)} ms (loads the series into memory)`,
);
console.log(
  `  series.points, 2,000-point budget, full range: p50 ${fmt(seriesResult.full.p50)} ms, p95 ${fmt(seriesResult.full.p95)} ms ` +
    `(target p50 <= 30 ms; ${fmt(rawReadMs / seriesResult.full.p50)}x faster than re-reading the rows)`,
);
console.log(
  `  zoomed 100k-step range: p50 ${fmt(seriesResult.zoom100k.p50)} ms, p95 ${fmt(seriesResult.zoom100k.p95)} ms`,
);

// 2. Forecasts of a 24k-step run (simulated MPL-like curves, one point per step).
const T = 24_000;
function simulate(kind: 'constant' | 'cosine' | 'wsd', upTo: number) {
  const peak = 3e-4;
  const lrAt = (s: number) => {
    if (s < 500) return (peak * (s + 1)) / 500;
    if (kind === 'cosine')
      return 3e-5 + ((peak - 3e-5) * (1 + Math.cos((Math.PI * (s - 500)) / (T - 500)))) / 2;
    if (kind === 'wsd' && s > 0.8 * T) return peak + ((3e-5 - peak) * (s - 0.8 * T)) / (0.2 * T);
    return peak;
  };
  let area = 0;
  const points = [];
  for (let s = 0; s < upTo; s++) {
    const lr = lrAt(s);
    area += lr;
    const anneal = 0.35 * (1 - lr / peak) ** 1.2;
    const loss = 2.6 + 0.6 * (area + 1e-3) ** -0.45 - anneal * 0.3 + 0.004 * Math.sin(s * 1.7);
    points.push({ step: s, metrics: { loss, lr } });
  }
  return points;
}
const schedules = {
  constant: { kind: 'constant', peak: 3e-4, warmup: 500, total: T },
  cosine: { kind: 'cosine', peak: 3e-4, warmup: 500, total: T, final: 3e-5 },
  wsd: { kind: 'wsd', peak: 3e-4, warmup: 500, total: T, decay: 0.2, final: 3e-5 },
} as const;
await services.push.push({
  project: 'fc',
  run: 'single',
  schedule: schedules.cosine,
  points: simulate('cosine', 12_000),
});
for (const kind of ['constant', 'cosine', 'wsd'] as const) {
  await services.push.push({
    project: 'fc',
    run: `donor-${kind}`,
    group: 'g',
    status: 'finished',
    schedule: schedules[kind],
    points: simulate(kind, T),
  });
}
await services.push.push({
  project: 'fc',
  run: 'grouped',
  group: 'g',
  schedule: schedules.wsd,
  points: simulate('wsd', 12_000),
});
const runId = async (name: string) => (await services.runs.resolve(name)).id;
async function forecastTimes(id: number, input: Record<string, unknown> = {}) {
  const cold = await query('forecasts.get', { runId: id, ...input });
  const cached: number[] = [];
  for (let i = 0; i < 30; i++)
    cached.push((await query('forecasts.get', { runId: id, ...input })).ms);
  const f = cold.body as { model: string; diagnostics: { timings: Record<string, number> } };
  return {
    model: f.model,
    coldMs: cold.ms,
    fitMs: f.diagnostics.timings.totalMs,
    cached: summarize(cached),
  };
}
const single = await forecastTimes(await runId('single'), { group: false });
const grouped = await forecastTimes(await runId('grouped'));
console.log(
  `forecast of a 24k-step run at 12k steps (12,000 points): cold ${fmt(single.coldMs)} ms (${single.model}), ` +
    `cached p50 ${fmt(single.cached.p50)} ms / p95 ${fmt(single.cached.p95)} ms (targets cold <= 300, cached <= 5)`,
);
console.log(
  `  group mode (3 finished 24k-point donors): cold ${fmt(grouped.coldMs)} ms incl. the donor shape fit (${grouped.model}), ` +
    `cached p50 ${fmt(grouped.cached.p50)} ms`,
);
const groupedAgain = await query('forecasts.get', { runId: await runId('grouped'), until: 11_000 });
console.log(`  group mode, another cut (donor shape cached in memory): ${fmt(groupedAgain.ms)} ms`);

// 3. Sustained push throughput with concurrent readers.
const CLIENTS = 4;
const BATCH = 10_000;
const METRICS = 2;
const DURATION_MS = 6_000;
function batchBody(client: number, b: number): string {
  const points = [];
  for (let i = 0; i < BATCH; i++) {
    const step = b * BATCH + i;
    points.push({ step, metrics: { loss: 3 - step * 1e-7, lr: 3e-4 } });
  }
  return JSON.stringify({ project: 'push', run: `client-${client}`, points });
}
const ROUNDS = 40;
// Bodies are prepared up front: the clients share this process with the server.
const bodies = Array.from({ length: CLIENTS }, (_, c) =>
  Array.from({ length: ROUNDS }, (_, b) => batchBody(c, b)),
);
let pushed = 0;
let pushEnd = 0;
let stop = false;
const pushStart = performance.now();
const pushers = Array.from({ length: CLIENTS }, async (_, c) => {
  let b = 0;
  while (!stop && b < ROUNDS) {
    const body = bodies[c]![b]!;
    const res = await fetch(`${base}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    if (!res.ok) throw new Error(`push ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    pushed += BATCH * METRICS;
    b++;
  }
});
const readLatencies: number[] = [];
const readers = Array.from({ length: 2 }, async () => {
  while (!stop) {
    const runs = await services.runs.list({ project: 'push' });
    const target = runs[0];
    if (target) {
      readLatencies.push(
        (await query('series.points', { runId: target.id, key: 'loss', maxPoints: 2000 })).ms,
      );
    }
    readLatencies.push(
      (await query('forecasts.get', { runId: await runId('single'), group: false })).ms,
    );
  }
});
await Promise.race([Promise.all(pushers), new Promise((r) => setTimeout(r, DURATION_MS))]);
stop = true;
await Promise.all(pushers);
pushEnd = performance.now();
await Promise.all(readers);
const pushSeconds = () => (pushEnd - pushStart) / 1000;
const httpRate = pushed / pushSeconds();
// Baseline: the same kind of batches written in-process (no HTTP, no JSON).
const tDirect = performance.now();
let direct = 0;
for (let b = 0; b < 20; b++) {
  await services.push.push({
    project: 'push-direct',
    run: 'direct',
    points: Array.from({ length: BATCH }, (_, i) => ({
      step: b * BATCH + i,
      metrics: { loss: 3, lr: 3e-4 },
    })),
  });
  direct += BATCH * METRICS;
}
const directRate = direct / ((performance.now() - tDirect) / 1000);
const reads = summarize(readLatencies);
console.log(
  `push over HTTP, ${CLIENTS} clients x ${BATCH.toLocaleString('en-US')}-row batches (${METRICS} metrics/row), ${fmt(pushSeconds())} s: ` +
    `${Math.round(httpRate).toLocaleString('en-US')} points/s (target >= 200,000); in-process baseline ` +
    `${Math.round(directRate).toLocaleString('en-US')} points/s (HTTP at ${fmt(httpRate / directRate)}x)`,
);
console.log(
  `  concurrent reads during the pushes: ${reads.n}, p50 ${fmt(reads.p50)} ms, p95 ${fmt(reads.p95)} ms`,
);

await server.close();
rmSync(dir, { recursive: true, force: true });

// 4. Calibration from the store's finished runs.
const calDir = mkdtempSync(join(tmpdir(), 'runcast-bench-calibration-'));
const local = openLocalApi({ db: join(calDir, 'bench.db'), calibrationRuns: 1000 });
const byGroup = new Map<string, ReturnType<typeof readAllCurves>>();
for (const c of readAllCurves()) byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);
let calRuns = 0;
for (const [group, list] of byGroup) {
  if (list.length < 6 || list.length > 13) continue;
  for (const c of list) {
    await local.services.push.push({
      project: 'calibration',
      run: c.id,
      group,
      schedule: c.schedule,
      status: 'finished',
      points: c.points.map((p, i) => ({
        step: p.step,
        metrics: { loss: p.value, lr: c.lr[i]?.value ?? Number.NaN },
      })),
    });
    calRuns++;
  }
}
const tCal = performance.now();
const calSummary = await local.services.refreshCalibration();
const calMs = performance.now() - tCal;
const samples = local.services.calibration.current()?.samples ?? [];
const zOf = (s: (typeof samples)[number]) => Math.abs(Math.log(s.actual / s.mean)) / s.rawLogSd;
/** Coverage of each cut by bands calibrated on the cuts of the other runs (or other groups). */
function heldOutCoverage(by: 'runId' | 'group') {
  let c80 = 0;
  let c95 = 0;
  const scales: number[] = [];
  const ratios80: number[] = [];
  const ratios95: number[] = [];
  const keys = new Set(samples.map((x) => x[by]));
  for (const k of keys) {
    const cal = calibrate({ backtests: [samples.filter((x) => x[by] !== k)] });
    for (const x of samples.filter((y) => y[by] === k)) {
      const sc = findCalibrationScales(cal, x.model, x.at);
      if (zOf(x) <= sc.scale80 * Z80) c80++;
      if (zOf(x) <= sc.scale95 * Z95) c95++;
      scales.push(sc.scale80);
      // Calibrated band width over the uncalibrated one served before, same cut.
      if (x.halfWidth80) ratios80.push((sc.scale80 * Z80) / x.halfWidth80);
      if (x.halfWidth95) ratios95.push((sc.scale95 * Z95) / x.halfWidth95);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
  return {
    cover80: c80 / samples.length,
    cover95: c95 / samples.length,
    medianScale80: median(scales),
    medianWidthRatio80: median(ratios80),
    medianWidthRatio95: median(ratios95),
  };
}
const share = (f: (x: (typeof samples)[number]) => boolean) =>
  samples.filter(f).length / samples.length;
const uncalibrated = {
  cover80: share((x) => x.covered80 === true),
  cover95: share((x) => x.covered95 === true),
};
const rawBands = {
  cover80: share((x) => zOf(x) <= Z80),
  cover95: share((x) => zOf(x) <= Z95),
};
const byRun = heldOutCoverage('runId');
const byGroupOut = heldOutCoverage('group');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log(
  `calibration: ${calRuns} finished runs of ${[...byGroup.values()].filter((l) => l.length >= 6 && l.length <= 13).length} groups, ` +
    `${calSummary.backtests} backtested (${samples.length} cuts) in ${fmt(calMs / 1000)} s (${fmt(calMs / Math.max(1, samples.length))} ms per cut)`,
);
console.log(
  `  coverage at nominal 80 / 95 %: raw ${pct(rawBands.cover80)} / ${pct(rawBands.cover95)}, served uncalibrated ` +
    `${pct(uncalibrated.cover80)} / ${pct(uncalibrated.cover95)}, calibrated (run held out) ` +
    `${pct(byRun.cover80)} / ${pct(byRun.cover95)}, calibrated (group held out) ${pct(byGroupOut.cover80)} / ${pct(byGroupOut.cover95)}`,
);
console.log(
  `  median calibrated / uncalibrated band width (run held out): 80 % ${fmt(byRun.medianWidthRatio80)}x, ` +
    `95 % ${fmt(byRun.medianWidthRatio95)}x; median 80 % scale on the raw s.d. ${fmt(byRun.medianScale80)}`,
);
// A refresh whose finished runs did not change (what the server does after every burst of writes).
const tNoop = performance.now();
await local.services.refreshCalibration();
const noopMs = performance.now() - tNoop;
console.log(`  refresh with the same finished runs (no backtest): ${fmt(noopMs)} ms`);
await local.close();
rmSync(calDir, { recursive: true, force: true });

// 5. No reader stalls the server.
const stall = await runStallBench();

const out = saveBenchJson('api', {
  stall,
  series: seriesResult,
  forecast: { single, grouped, groupedOtherCutMs: groupedAgain.ms },
  push: {
    pointsPerSecond: httpRate,
    inProcessPointsPerSecond: directRate,
    seconds: pushSeconds(),
    reads,
  },
  calibration: {
    runs: calRuns,
    backtests: calSummary.backtests,
    cuts: samples.length,
    ms: calMs,
    noopRefreshMs: noopMs,
    raw: rawBands,
    uncalibrated,
    heldOutRun: byRun,
    heldOutGroup: byGroupOut,
  },
});
console.log(`saved ${out}`);
