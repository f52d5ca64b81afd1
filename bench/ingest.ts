/**
 * `pnpm bench ingest`: 1,000,000-point JSONL and CSV files generated here, each ingested into a
 * fresh store through @runcast/ingest with the real plugins; compared with a bare better-sqlite3
 * prepared-insert loop of the same points into the same table layout, measured in the same run.
 * Targets: >= 500k points/s, within 2x of the bare loop, peak memory flat in file size.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSeries, openDb, upsertRun } from '../packages/db/src/index';
import { ingestPaths } from '../packages/ingest/src/index';
import { createCsvPlugin } from '../plugins/csv/src/index';
import { createJsonlPlugin } from '../plugins/jsonl/src/index';
import { saveBenchJson } from './lib/measure';

const METRICS = ['loss', 'lr', 'grad_norm', 'tokens_per_s'] as const;
const plugins = [createJsonlPlugin(), createCsvPlugin()];
const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-ingest-'));

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

interface Case {
  name: string;
  points: number;
  seconds: number;
  pointsPerSecond: number;
  /** Points per second of this process's CPU time (user + system): robust on a busy machine. */
  pointsPerCpuSecond: number;
  peakRssDeltaMiB: number;
  fileMiB: number;
}

async function ingestCase(name: string, format: 'jsonl' | 'csv', points: number): Promise<Case> {
  const rows = points / METRICS.length;
  const file = join(dir, `${name}.${format}`);
  await writeFile(file, rows, format);
  const db = openDb({ path: join(dir, `${name}.db`) });
  global.gc?.();
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await ingestPaths({
    db,
    plugins,
    paths: [file],
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  if (summary.points !== points || summary.status !== 'completed') {
    throw new Error(`${name}: ingested ${summary.points} of ${points} (${summary.status})`);
  }
  return {
    name,
    points,
    seconds,
    pointsPerSecond: points / seconds,
    pointsPerCpuSecond: points / ((cpu.user + cpu.system) / 1e6),
    peakRssDeltaMiB: (peak - rss0) / 2 ** 20,
    fileMiB: statSync(file).size / 2 ** 20,
  };
}

/** The baseline: the same points, pre-built in memory, inserted by a bare prepared statement. */
function bareInsert(points: number) {
  const rows = points / METRICS.length;
  const db = openDb({ path: join(dir, `bare-${points}.db`) });
  const run = upsertRun(db, { key: 'bare' });
  const ids = METRICS.map((key) => ensureSeries(db, { runId: run.id, key }));
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
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    seconds,
    cpuSeconds,
    pointsPerSecond: points / seconds,
    pointsPerCpuSecond: points / cpuSeconds,
  };
}

try {
  const N = 1_000_000;
  const bare = bareInsert(N);
  const cases = [
    await ingestCase('jsonl-250k', 'jsonl', N / 4),
    await ingestCase('jsonl-1m', 'jsonl', N),
    await ingestCase('csv-1m', 'csv', N),
  ];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `bare better-sqlite3 prepared-insert loop: ${fmt(bare.pointsPerSecond)} points/s wall, ` +
      `${fmt(bare.pointsPerCpuSecond)} points/CPU-s (${fmt(N)} points, ${METRICS.length} per row)`,
  );
  for (const c of cases) {
    const ratio = bare.pointsPerSecond / c.pointsPerSecond;
    const cpuRatio = bare.pointsPerCpuSecond / c.pointsPerCpuSecond;
    console.log(
      `${c.name.padEnd(11)} ${fmt(c.points).padStart(9)} points, ${c.fileMiB.toFixed(1).padStart(5)} MiB: ` +
        `${fmt(c.pointsPerSecond)} points/s wall (${ratio.toFixed(2)}x the bare loop's time), ` +
        `${fmt(c.pointsPerCpuSecond)} points/CPU-s (${cpuRatio.toFixed(2)}x), ` +
        `peak RSS +${c.peakRssDeltaMiB.toFixed(0)} MiB`,
    );
  }
  console.log(
    `process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB ` +
      `(targets: >= 500,000 points/s, <= 2x the bare loop, RSS flat in file size)`,
  );
  saveBenchJson('ingest', { bare, cases, metricsPerRow: METRICS.length });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
