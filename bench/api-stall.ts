/**
 * `pnpm bench api`, the "no reader stalls the server" rows (issue 11 item 3): the built CLI's
 * `runcast serve` (fits on its worker pool) in a child process, so its RSS is its own.
 * - idle: /healthz latency and push latency of 4 pushers (500 rows x 2 metrics per batch);
 * - loaded: the same while 4 clients hammer forecasts of runs with 10M-step schedules (each request
 *   a new cut, so a cache miss and a real fit); healthz p99 (target < 50 ms), push p50 against idle
 *   (target within 2x), server RSS sampled every 100 ms (target < 1 GB), and what the forecast
 *   clients got (200 / 429 queue full / 504 over budget);
 * - a push of 100,000 distinct metric keys: refused (413) in < 50 ms.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_DIR = fileURLToPath(new URL('../apps/cli/', import.meta.url));
const BUNDLE = join(CLI_DIR, 'dist/runcast.js');
const STEPS = 10_000_000;
const FORECAST_CLIENTS = 4;
const PUSHERS = 4;
const PHASE_MS = 8_000;

const percentile = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

async function startServe(db: string): Promise<{ child: ChildProcess; base: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [BUNDLE, '--db', db, 'serve', '--no-demo', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /http:\/\/\S+/.exec(out);
      if (url) resolve(url[0].trim());
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, base };
}

export async function runStallBench() {
  execFileSync(process.execPath, ['build.mjs'], { cwd: CLI_DIR, stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-stall-'));
  const db = join(dir, 'stall.db');
  const token = (
    JSON.parse(
      execFileSync(
        process.execPath,
        [BUNDLE, '--db', db, 'token', 'create', '--name', 'bench', '--scope', 'write', '--json'],
        { encoding: 'utf8' },
      ),
    ) as { secret: string }
  ).secret;
  const { child, base } = await startServe(db);
  const pid = child.pid!;
  const post = (body: string) =>
    fetch(`${base}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });

  // Runs whose schedules are 10M steps long, 2,000 points each (logged up to 2M steps).
  const kinds = ['cosine', 'wsd', 'linear', 'cosine'] as const;
  for (const [i, kind] of kinds.entries()) {
    const res = await post(
      JSON.stringify({
        project: 'stall',
        run: `long-${i}`,
        schedule: { kind, peak: 3e-4, warmup: 2000, total: STEPS, final: 3e-5 },
        points: Array.from({ length: 2000 }, (_, j) => {
          const step = (j + 1) * 1000;
          return {
            step,
            metrics: { loss: 2.4 + 3 / (1 + step / 5000) ** 0.3 + 0.003 * Math.sin(j * (i + 1)) },
          };
        }),
      }),
    );
    if (!res.ok) throw new Error(`seed push ${res.status}: ${await res.text()}`);
  }
  const runs = (
    (await (
      await fetch(`${base}/trpc/runs.list?input=${encodeURIComponent('{"project":"stall"}')}`)
    ).json()) as {
      result: { data: { id: number }[] };
    }
  ).result.data.map((r) => r.id);

  const pushBodies = Array.from(
    { length: PUSHERS },
    (_, c) => (b: number) =>
      JSON.stringify({
        project: 'stall-push',
        run: `pusher-${c}`,
        points: Array.from({ length: 500 }, (_, i) => ({
          step: b * 500 + i,
          metrics: { loss: 3 - (b * 500 + i) * 1e-7, lr: 3e-4 },
        })),
      }),
  );

  async function phase(withForecasts: boolean) {
    let stop = false;
    let rssMax = rssOf(pid);
    const health: number[] = [];
    const pushes: number[] = [];
    const outcomes: Record<string, number> = {};
    const batchOf = new Array(PUSHERS).fill(withForecasts ? 100_000 : 0) as number[];
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, rssOf(pid));
    }, 100);
    const prober = (async () => {
      while (!stop) {
        const t = performance.now();
        const res = await fetch(`${base}/healthz`);
        await res.arrayBuffer();
        health.push(performance.now() - t);
        await sleep(20);
      }
    })();
    const pushers = Array.from({ length: PUSHERS }, async (_, c) => {
      while (!stop) {
        const body = pushBodies[c]!(batchOf[c]!++);
        const t = performance.now();
        const res = await post(body);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`push ${res.status}`);
        pushes.push(performance.now() - t);
        await sleep(50);
      }
    });
    const forecasters = withForecasts
      ? Array.from({ length: FORECAST_CLIENTS }, async (_, c) => {
          let k = 0;
          while (!stop) {
            // A new cut every time: no cache hit, a real 10M-step fit.
            const until = 2_000_000 - 1000 * (k++ * FORECAST_CLIENTS + c + 1);
            const input = { runId: runs[c % runs.length], until };
            const res = await fetch(
              `${base}/trpc/forecasts.get?input=${encodeURIComponent(JSON.stringify(input))}`,
            );
            await res.arrayBuffer();
            outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
            if (res.status === 429) await sleep(100);
          }
        })
      : [];
    await sleep(PHASE_MS);
    stop = true;
    await Promise.all([prober, ...pushers, ...forecasters]);
    clearInterval(sampler);
    return {
      healthP50: percentile(health, 0.5),
      healthP99: percentile(health, 0.99),
      healthN: health.length,
      pushP50: percentile(pushes, 0.5),
      pushN: pushes.length,
      rssMaxMb: rssMax / 2 ** 20,
      forecasts: outcomes,
    };
  }

  const idle = await phase(false);
  const loaded = await phase(true);

  // A push of 100,000 distinct metric keys: refused before any per-key work.
  const wide = JSON.stringify({
    run: 'wide',
    points: [
      {
        step: 1,
        metrics: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
      },
    ],
  });
  const refusals: number[] = [];
  let wideStatus = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const res = await post(wide);
    await res.arrayBuffer();
    refusals.push(performance.now() - t);
    wideStatus = res.status;
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });

  const ratio = loaded.pushP50 / idle.pushP50;
  console.log(
    `no stall (runcast serve, fits on its worker pool), ${FORECAST_CLIENTS} clients hammering forecasts of 10M-step runs + ${PUSHERS} pushers, ${PHASE_MS / 1000} s per phase:`,
  );
  console.log(
    `  /healthz p99 ${fmt(loaded.healthP99)} ms (p50 ${fmt(loaded.healthP50)}, n ${loaded.healthN}; target < 50 ms; idle p99 ${fmt(idle.healthP99)} ms)`,
  );
  console.log(
    `  push p50 ${fmt(loaded.pushP50)} ms vs idle ${fmt(idle.pushP50)} ms in the same run: ${fmt(ratio)}x (target <= 2x; ${loaded.pushN} / ${idle.pushN} pushes)`,
  );
  console.log(
    `  server RSS max ${fmt(loaded.rssMaxMb)} MB (target < 1024; idle ${fmt(idle.rssMaxMb)} MB); forecast answers by status ${JSON.stringify(loaded.forecasts)}`,
  );
  console.log(
    `  a push of 100,000 distinct metric keys (${fmt(wide.length / 2 ** 20)} MiB): ${wideStatus} in p50 ${fmt(percentile(refusals, 0.5))} ms (target < 50 ms)`,
  );
  return {
    idle,
    loaded,
    pushRatio: ratio,
    wideKeyPush: { status: wideStatus, p50Ms: percentile(refusals, 0.5), bytes: wide.length },
  };
}
