/**
 * `pnpm bench ingest`: 1,000,000-point JSONL and CSV files generated here, each ingested into a
 * fresh store through @runcast/ingest with the real plugins (each case in its own child process,
 * so its peak RSS is its own); compared with a bare better-sqlite3 prepared-insert loop of the
 * same points into the same table layout, measured in the same run. A 250k-point and a
 * 4M-point JSONL show whether memory is flat in file size.
 * Targets: >= 500k points/s, within 2x of the bare loop, peak memory flat in file size.
 * Rates are given per wall second and per CPU second (the latter is robust on a busy machine).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSqliteStore,
  type Durability,
  openDb,
  openSqliteStore,
} from '../packages/db/src/index';
import { ingestPaths } from '../packages/ingest/src/index';
import { createCsvPlugin } from '../plugins/csv/src/index';
import { createJsonlPlugin } from '../plugins/jsonl/src/index';
import { saveBenchJson } from './lib/measure';

const METRICS = ['loss', 'lr', 'grad_norm', 'tokens_per_s'] as const;

/** The metric values of row i (deterministic, realistic magnitudes and text lengths). */
function rowValues(i: number): number[] {
  return [
    2 + 8 / Math.sqrt(1 + i / 50) + 0.01 * Math.sin(i),
    3e-4 * Math.min(1, i / 2000) * (0.5 + 0.5 * Math.cos((Math.PI * i) / 1e6)),
    0.5 + Math.abs(Math.sin(i / 7)),
    1.2e5 + (i % 997),
  ];
}

async function writeFile(path: string, rows: number, format: 'jsonl' | 'csv'): Promise<void> {
  const out = createWriteStream(path);
  if (format === 'csv') out.write(`step,${METRICS.join(',')}\n`);
  for (let i = 0; i < rows; i += 10_000) {
    let text = '';
    for (let j = i; j < Math.min(rows, i + 10_000); j++) {
      const v = rowValues(j);
      text +=
        format === 'jsonl'
          ? `{"step":${j},${METRICS.map((k, m) => `"${k}":${v[m]}`).join(',')}}\n`
          : `${j},${v.join(',')}\n`;
    }
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

interface ChildResult {
  points: number;
  status: string;
  seconds: number;
  cpuSeconds: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
}

/** In the child: ingest one file into a fresh store and print the figures as JSON. */
async function runChild(file: string, dbPath: string, durability: Durability): Promise<void> {
  const db = openSqliteStore({ path: dbPath, durability });
  const rssBefore = process.memoryUsage.rss();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await ingestPaths({
    db,
    plugins: [createJsonlPlugin(), createCsvPlugin()],
    paths: [file],
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await db.close();
  const result: ChildResult = {
    points: summary.points,
    status: summary.status,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function ingestInChild(
  file: string,
  dbPath: string,
  heapCapMiB?: number,
  durability: Durability = 'normal',
): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const flags = heapCapMiB ? [`--max-old-space-size=${heapCapMiB}`] : [];
  const child = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', self, '--child', file, dbPath, durability],
    { encoding: 'utf8' },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`ingest child failed (${child.status}): ${child.stderr}`);
  }
  return JSON.parse(line) as ChildResult;
}

/** The baseline: the same points, pre-built in memory, inserted by a bare prepared statement. */
async function bareInsert(dir: string, points: number) {
  const rows = points / METRICS.length;
  const db = openDb({ path: join(dir, `bare-${points}.db`) });
  const store = createSqliteStore(db);
  const run = await store.runs.upsert({ key: 'bare' });
  const ids: number[] = [];
  for (const key of METRICS) ids.push(await store.series.ensure({ runId: run.id, key }));
  const values = new Float64Array(points);
  for (let i = 0; i < rows; i++) {
    const v = rowValues(i);
    for (let m = 0; m < METRICS.length; m++) values[i * METRICS.length + m] = v[m]!;
  }
  const insert = db.sqlite.prepare(
    'INSERT INTO points (series_id, step, value, wall_time) VALUES (?, ?, ?, ?)',
  );
  const batch = db.sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      for (let m = 0; m < METRICS.length; m++) {
        insert.run(ids[m], i, values[i * METRICS.length + m], null);
      }
    }
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < rows; i += 50_000) batch(i, Math.min(rows, i + 50_000));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-ingest-'));
  const N = 1_000_000;
  try {
    const cases = [
      { name: 'jsonl-1m', format: 'jsonl' as const, points: N },
      { name: 'csv-1m', format: 'csv' as const, points: N },
      { name: 'jsonl-250k', format: 'jsonl' as const, points: N / 4 },
      { name: 'jsonl-4m', format: 'jsonl' as const, points: 4 * N },
      // The same file with V8's old space capped: it completes, so the live set is bounded and
      // the RSS growth above is V8 growing its heap lazily, not data kept per byte read.
      { name: 'jsonl-4m-cap', format: 'jsonl' as const, points: 4 * N, heapCapMiB: 48 },
      // --durability full (synchronous=FULL: an fsync per commit), against jsonl-1m above.
      { name: 'jsonl-1m-full', format: 'jsonl' as const, points: N, durability: 'full' },
    ] as {
      name: string;
      format: 'jsonl' | 'csv';
      points: number;
      heapCapMiB?: number;
      durability?: Durability;
    }[];
    const bare = await bareInsert(dir, N);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `bare better-sqlite3 prepared-insert loop: ${fmt(N / bare.seconds)} points/s wall, ` +
        `${fmt(N / bare.cpuSeconds)} points/CPU-s (${fmt(N)} points, ${METRICS.length} per row)`,
    );
    const results = [];
    for (const c of cases) {
      const file = join(dir, `${c.name}.${c.format}`);
      await writeFile(file, c.points / METRICS.length, c.format);
      const fileMiB = statSync(file).size / 2 ** 20;
      const r = ingestInChild(file, join(dir, `${c.name}.db`), c.heapCapMiB, c.durability);
      rmSync(file);
      if (r.points !== c.points || r.status !== 'completed') {
        throw new Error(`${c.name}: ingested ${r.points} of ${c.points} points (${r.status})`);
      }
      const wallRatio = r.seconds / c.points / (bare.seconds / N);
      const cpuRatio = r.cpuSeconds / c.points / (bare.cpuSeconds / N);
      results.push({ ...c, ...r, fileMiB, wallRatio, cpuRatio });
      console.log(
        `${c.name.padEnd(12)} ${fmt(c.points).padStart(9)} points (~${fileMiB.toFixed(0)} MiB): ` +
          `${fmt(c.points / r.seconds)} points/s wall (${wallRatio.toFixed(2)}x the bare loop's time), ` +
          `${fmt(c.points / r.cpuSeconds)} points/CPU-s (${cpuRatio.toFixed(2)}x), ` +
          `peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${r.rssBeforeMiB.toFixed(0)} MiB before ingest)` +
          (c.heapCapMiB ? `, old space capped at ${c.heapCapMiB} MiB` : ''),
      );
    }
    const normal = results.find((r) => r.name === 'jsonl-1m');
    const full = results.find((r) => r.name === 'jsonl-1m-full');
    if (normal && full) {
      console.log(
        `--durability full costs ${(full.seconds / normal.seconds).toFixed(2)}x the wall time of ` +
          `normal (${(full.cpuSeconds / normal.cpuSeconds).toFixed(2)}x CPU) on the same 1M-point JSONL`,
      );
    }
    console.log('targets: >= 500,000 points/s, <= 2x the bare loop, peak RSS flat in file size');
    saveBenchJson('ingest', { bare, results, metricsPerRow: METRICS.length });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const dbFlag = process.argv.indexOf('--db');
const dbUrl = dbFlag >= 0 ? process.argv[dbFlag + 1] : undefined;
if (process.argv[2] === '--child') {
  await runChild(
    process.argv[3]!,
    process.argv[4]!,
    process.argv[5] === 'full' ? 'full' : 'normal',
  );
} else if (dbUrl && /^postgres(ql)?:\/\//.test(dbUrl)) {
  const { benchPostgresIngest } = await import('./ingest-postgres');
  await benchPostgresIngest({ url: dbUrl, rowValues, metrics: METRICS });
} else await main();
