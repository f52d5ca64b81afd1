/**
 * Dashboard: time to first chart in headless Chromium against a real server, and the JS bundle.
 *   - run page of a 1M-point run (target <= 1.0 s), baseline: a real 63-point run, same session;
 *   - compare page with 50 real runs overlaid (target <= 2.0 s), baseline: 1 run overlaid;
 *   - JS bundle gzip of `vite build` (target <= 400 kB), initial chunk and lazy chunks;
 *   - runs page over a team's store of 10,000 runs (20 points each): interactive (first rows
 *     drawn, target <= 1.0 s) and first forecast shown (target <= 2.0 s); baseline: 10 runs.
 * Every store is pushed over HTTP (POST /api/v1/push) to the built CLI's `runcast serve` in a
 * child process (fits on its worker pool, as in production).
 * "First chart" = from navigation start to the first frame with a non-empty recharts line path,
 * measured in the page (performance.now()). The first visit is cold (browser cache empty, server
 * caches cold); the warm median is over the next visits. `--only=team` or `--only=charts`
 * measures one part; the machine's load average is printed with the figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../apps/dashboard/test/launch-chromium';
import { CURVES_DIR, WSD_CURVE } from '../apps/dashboard/test/read-curve';
import { buildSeedPush } from '../apps/dashboard/test/seed-server';
import { saveBenchJson } from './lib/measure';
import { buildCli, pushOverHttp, startServeProcess } from './lib/serve-process';

const DASHBOARD = fileURLToPath(new URL('../apps/dashboard/', import.meta.url));
const N = 1_000_000;
const VISITS = 5;

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// 1. Bundle size (and a fresh build of the CLI that the team store's `runcast serve` runs).
buildCli();
const built = spawnSync(`${DASHBOARD}node_modules/.bin/vite`, ['build', '--logLevel', 'error'], {
  cwd: DASHBOARD,
  stdio: 'inherit',
});
if (built.status !== 0) throw new Error('vite build failed');
const assets = `${DASHBOARD}dist/assets/`;
const indexHtml = readFileSync(`${DASHBOARD}dist/index.html`, 'utf8');
let totalGzip = 0;
let initialGzip = 0;
const chunks: Array<{ file: string; gzip: number; initial: boolean }> = [];
for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
  const gzip = gzipSync(readFileSync(assets + file), { level: 9 }).length;
  const entry = indexHtml.includes(file);
  const imported = entry || isImportedByEntry(file);
  chunks.push({ file, gzip, initial: imported });
  totalGzip += gzip;
  if (imported) initialGzip += gzip;
}
function isImportedByEntry(file: string): boolean {
  const entry = readdirSync(assets).find((f) => f.endsWith('.js') && indexHtml.includes(f));
  return entry ? readFileSync(assets + entry, 'utf8').includes(`from"./${file}"`) : false;
}
const kB = (b: number) => (b / 1024).toFixed(1);
console.log(
  `JS bundle gzip: total ${kB(totalGzip)} kB (target <= 400), initial ${kB(initialGzip)} kB`,
);
for (const c of chunks)
  console.log(
    `  ${c.file.padEnd(32)} ${kB(c.gzip).padStart(7)} kB${c.initial ? '  (initial)' : ''}`,
  );

const seed = 7;
let state = seed;
const nextUniform = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const browser = await launchChromium();
const page = await browser.context.newPage();

// 2. A store with a 1M-point run, a small real run and 50 real runs.
async function measureCharts() {
  // 50,000 points (100,000 values) per push: well inside the push limits (100,000 points, 8 MiB).
  const BATCH = 50_000;
  const pushes = [];
  for (let start = 0; start < N; start += BATCH) {
    const points = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const spike = nextUniform() < 1e-5 ? 2 : 0;
      const loss = 2 + 3 / Math.sqrt(1 + i / 1000) + 0.02 * (nextUniform() - 0.5) + spike;
      points.push({ step: i, metrics: { loss, lr: 3e-4 * Math.min(1, (i + 1) / 2000) } });
    }
    pushes.push({
      project: 'bench',
      run: 'one-million',
      schedule: { kind: 'constant' as const, peak: 3e-4, warmup: 2000, total: 1_200_000 },
      status: 'running' as const,
      points,
    });
  }
  const curveIds = readdirSync(CURVES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort()
    .filter((_, i) => i % 4 === 0)
    .slice(0, 50);
  const seeded = await startServeProcess();
  const token = seeded.createToken('bench');
  const t0 = performance.now();
  const seedRuns = [{ curve: WSD_CURVE, name: 'small' }, ...curveIds.map((curve) => ({ curve }))];
  await pushOverHttp({
    url: seeded.url,
    bodies: [
      ...seedRuns.map((run) => ({ token, body: buildSeedPush(run, 'bench') })),
      ...pushes.map((body) => ({ token, body })),
    ],
    concurrency: 1,
  });
  console.log(
    `pushed ${N.toLocaleString('en-US')} points + ${curveIds.length + 1} real runs over HTTP to runcast serve in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const listed = (await (await fetch(`${seeded.url}/trpc/runs.list`)).json()) as {
    result: { data: Array<{ id: number; name: string }> };
  };
  const runIds = new Map(listed.result.data.map((r) => [r.name, r.id]));
  const id = (name: string) => runIds.get(name)!;

  async function measureFirstChart(options: {
    path: string;
    selector: string;
    count: number;
    /** Waits for the work the page starts after the chart (fits) so visits do not overlap. */
    settle: string;
  }): Promise<{ times: number[]; waits: number[] }> {
    const times: number[] = [];
    const waits: number[] = [];
    for (let v = 0; v < VISITS; v++) {
      await page.goto('about:blank');
      await page.goto(seeded.url + options.path, { waitUntil: 'commit' });
      // Measured in the page when the chart is drawn: ms from navigation start, and the longest
      // wait for an API answer among the requests finished by then (server time + queueing).
      const drawn = await page.waitForFunction(
        ({ selector, count }) => {
          const paths = document.querySelectorAll(selector);
          let n = 0;
          for (const p of paths) if ((p.getAttribute('d') ?? '').length > 10) n++;
          if (n < count) return null;
          const now = performance.now();
          const waits = performance
            .getEntriesByType('resource')
            .map((e) => e as PerformanceResourceTiming)
            .filter((e) => e.name.includes('/trpc/') && e.responseEnd > 0 && e.responseEnd <= now)
            .map((e) => e.responseStart - e.requestStart);
          return { at: now, wait: Math.max(0, ...waits) };
        },
        { selector: options.selector, count: options.count },
        { polling: 'raf', timeout: 60_000 },
      );
      const { at, wait } = (await drawn.jsonValue()) as { at: number; wait: number };
      times.push(Math.round(at));
      waits.push(Math.round(wait));
      await page
        .waitForSelector(options.settle, { timeout: 120_000 })
        .catch(() => console.log(`  (no ${options.settle} within 120 s)`));
    }
    return { times, waits };
  }

  const LOSS_LINE = '.loss-chart path.recharts-line-curve';
  const OVERLAY_LINE = '.overlay-chart .run-line path.recharts-line-curve';
  const SETTLED_RUN = '.forecast-final, .error-box';
  const results = {
    smallRun: await measureFirstChart({
      path: `/runs/${id('small')}`,
      selector: LOSS_LINE,
      count: 1,
      settle: SETTLED_RUN,
    }),
    millionRun: await measureFirstChart({
      path: `/runs/${id('one-million')}`,
      selector: LOSS_LINE,
      count: 1,
      settle: SETTLED_RUN,
    }),
    overlayOne: await measureFirstChart({
      path: `/compare?runs=${id(curveIds[0]!)}`,
      selector: OVERLAY_LINE,
      count: 1,
      settle: 'main td.num',
    }),
    overlayFifty: await measureFirstChart({
      path: `/compare?runs=${curveIds.map(id).join(',')}`,
      selector: OVERLAY_LINE,
      count: 50,
      settle: 'table.matrix td, .error-box',
    }),
  };
  await seeded.close();
  return results;
}

// 3. A team's store: 10,000 runs of 20 points (200 sweeps of 50 runs, a third still running),
// pushed over HTTP (POST /api/v1/push, one body per run, 8 requests in flight, one write token
// per project as four teams would have) to a real `runcast serve` (the built CLI in a child
// process, fits on its worker pool). The runs page must be interactive (first rows drawn) in
// under 1 s and show its first forecast in under 2 s; baseline: the same page over 10 runs.
function teamPushes(runs: number) {
  const out = [];
  for (let r = 0; r < runs; r++) {
    const sweep = r % 200;
    const points = [];
    for (let i = 0; i < 20; i++) {
      const step = (i + 1) * 250;
      const loss =
        2.6 + 0.01 * (sweep % 7) + 2.2 * (step / 100) ** -0.35 + 0.004 * (nextUniform() - 0.5);
      points.push({ step, metrics: { loss, lr: 3e-4 } });
    }
    out.push({
      project: `team-${sweep % 4}`,
      run: `sweep${sweep}-run${r}`,
      group: `sweep-${sweep}`,
      schedule: {
        kind: 'cosine' as const,
        peak: 3e-4,
        warmup: 100,
        total: r % 3 === 0 ? 10_000 : 5000,
      },
      status: r % 3 === 0 ? ('running' as const) : ('finished' as const),
      points,
    });
  }
  return out;
}

async function measureRunsPage(runCount: number) {
  const store = await startServeProcess();
  const tokens = new Map<string, string>();
  const bodies = teamPushes(runCount).map((body) => {
    let token = tokens.get(body.project);
    if (!token) {
      token = store.createToken(body.project);
      tokens.set(body.project, token);
    }
    return { token, body };
  });
  const t1 = performance.now();
  const pushed = await pushOverHttp({ url: store.url, bodies, concurrency: 8 });
  const pushMs = performance.now() - t1;
  console.log(
    `pushed ${runCount.toLocaleString('en-US')} runs x 20 points over HTTP to runcast serve in ${(pushMs / 1000).toFixed(1)} s ` +
      `(${pushed.requests} requests, ${Math.round((pushed.requests / pushMs) * 1000)}/s, ${pushed.retried} retried after 429)`,
  );
  // The contract's list procedure still answers over a store this size (every run at once).
  const t2 = performance.now();
  const listed = await fetch(`${store.url}/trpc/runs.list`);
  const listBody = await listed.text();
  const listCount = (JSON.parse(listBody) as { result: { data: unknown[] } }).result.data.length;
  console.log(
    `  runs.list over HTTP: ${listCount.toLocaleString('en-US')} runs, ${kB(listBody.length)} kB in ${Math.round(performance.now() - t2)} ms`,
  );
  const interactive: number[] = [];
  const firstForecast: number[] = [];
  const pageBytes: number[] = [];
  for (let v = 0; v < VISITS; v++) {
    await page.goto('about:blank');
    await page.goto(`${store.url}/`, { waitUntil: 'commit' });
    const rows = await page.waitForFunction(
      () => {
        const link = document.querySelector('table.runs-table tbody tr[data-run-id] a.run-link');
        if (!link) return null;
        const size = performance
          .getEntriesByType('resource')
          .map((e) => e as PerformanceResourceTiming)
          .filter((e) => e.name.includes('runs.page'))
          .reduce((a, e) => a + e.encodedBodySize, 0);
        return { at: performance.now(), size };
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const seen = (await rows.jsonValue()) as { at: number; size: number };
    interactive.push(Math.round(seen.at));
    pageBytes.push(seen.size);
    const forecast = await page.waitForFunction(
      () =>
        [...document.querySelectorAll('table.runs-table .forecast-final')].some((c) =>
          /\d ± \d/.test(c.textContent ?? ''),
        )
          ? performance.now()
          : null,
      undefined,
      { polling: 'raf', timeout: 120_000 },
    );
    firstForecast.push(Math.round((await forecast.jsonValue()) as number));
    if (v === 0) {
      const rendered = await page.locator('table.runs-table tbody tr[data-run-id]').count();
      console.log(`  rows in the DOM: ${rendered} (of ${runCount})`);
    }
    // Every on-screen row settled (forecasts and verdicts) before the next visit.
    await page
      .waitForFunction(
        () => document.querySelectorAll('table.runs-table tbody .skeleton').length === 0,
        undefined,
        { polling: 200, timeout: 120_000 },
      )
      .catch(() => console.log('  (rows still loading after 120 s)'));
    const failed = await page
      .locator('table.runs-table tbody .forecast-final .muted[title]')
      .count();
    if (failed > 0) console.log(`  visit ${v}: ${failed} forecast cells n/a`);
  }
  await store.close();
  return { interactive, firstForecast, pageBytes, pushMs };
}
type RunsPageResult = Awaited<ReturnType<typeof measureRunsPage>>;

// `pnpm bench dashboard --only=team` (or --only=charts) measures one part.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const results = only === 'team' ? null : await measureCharts();
const teams = only === 'charts' ? null : [await measureRunsPage(10), await measureRunsPage(10_000)];
await browser.close();

const row = (name: string, result: { times: number[]; waits?: number[] }, target?: number) => {
  const { times, waits } = result;
  const first = times[0]!;
  const warm = median(times.slice(1));
  const limit = (target ?? 0) * 1000;
  const verdict =
    target === undefined
      ? ''
      : `  warm ${warm <= limit ? 'OK' : 'OVER'}, cold ${first <= limit ? 'OK' : 'OVER'}`;
  console.log(
    `${name.padEnd(34)} first ${String(first).padStart(5)} ms   warm median ${String(warm).padStart(5)} ms${target ? `   target <= ${target * 1000} ms${verdict}` : ''}`,
  );
  if (waits) {
    console.log(
      `${''.padEnd(34)} longest API wait: first ${waits[0]} ms, warm median ${median(waits.slice(1))} ms`,
    );
  }
  return { first, warmMedian: warm, all: times, apiWait: waits };
};
console.log('\ntime to first chart (headless Chromium, real server, 2 cores):');
const bundle = { totalGzipBytes: totalGzip, initialGzipBytes: initialGzip, chunks };
let charts = null;
if (results) {
  charts = {
    smallRun: row('run page, real 63-point run', results.smallRun),
    millionRun: row('run page, 1M-point run', results.millionRun, 1.0),
    overlayOne: row('compare, 1 run', results.overlayOne),
    overlayFifty: row('compare, 50 runs overlaid', results.overlayFifty, 2.0),
  };
  console.log(
    `ratios: 1M-point / 63-point run ${(charts.millionRun.warmMedian / charts.smallRun.warmMedian).toFixed(2)}x, 50 runs / 1 run ${(charts.overlayFifty.warmMedian / charts.overlayOne.warmMedian).toFixed(2)}x`,
  );
}
let team = null;
if (teams) {
  const [small, large] = teams as [RunsPageResult, RunsPageResult];
  const teamRow = (name: string, times: number[], target?: number) => row(name, { times }, target);
  team = {
    interactiveSmall: teamRow('runs page interactive, 10 runs', small.interactive),
    interactiveLarge: teamRow('runs page interactive, 10,000 runs', large.interactive, 1.0),
    forecastSmall: teamRow('first forecast, 10 runs', small.firstForecast),
    forecastLarge: teamRow('first forecast, 10,000 runs', large.firstForecast, 2.0),
    firstPageBytes: large.pageBytes[0],
    pushMs: large.pushMs,
  };
  console.log(
    `runs.page transfer for 10,000 runs: ${kB(team.firstPageBytes ?? 0)} kB; ratios 10,000 / 10 runs: interactive ${(team.interactiveLarge.warmMedian / team.interactiveSmall.warmMedian).toFixed(2)}x, first forecast ${(team.forecastLarge.warmMedian / team.forecastSmall.warmMedian).toFixed(2)}x`,
  );
}
console.log(
  `machine load when measured: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1/5/15 min)`,
);
console.log(`saved ${saveBenchJson('dashboard', { bundle, ...charts, team, load: loadavg() })}`);
