/**
 * Binary ingest plugins: parse-only speed of the tensorboard and wandb parsers on generated files
 * (1M scalars in a tfevents file, 1M history rows in a .wandb log), and the whole ingest
 * (ingestPaths into a temp SQLite store) compared with the JSONL path on an equivalent file
 * (same steps, metrics and points, so the same rows reach the store), measured in the same run.
 * Targets: tfevents >= 1M scalars/s parse-only; whole ingest within 2x of JSONL.
 * Times are wall and process CPU (CPU is steadier when the machine is shared).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestPlugin } from '../packages/core/src/index';
import { openSqliteStore } from '../packages/db/src/index';
import { ingestPaths } from '../packages/ingest/src/index';
import { createJsonlPlugin } from '../plugins/jsonl/src/index';
import {
  createTensorboardPlugin,
  encodeScalarEvent,
  encodeTfRecord,
} from '../plugins/tensorboard/src/index';
import { createWandbPlugin, encodeWandbLog } from '../plugins/wandb/src/index';
import { saveBenchJson } from './lib/measure';

const POINTS = 1_000_000;
const CHUNK = 4 * 1024 * 1024;
const RUNS = 3;
const T0 = 1.7e9;

// biome-ignore lint/suspicious/noExplicitAny: plugins carry their own state types.
type AnyPlugin = IngestPlugin<any>;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time<T>(fn: () => T): [T, Timing] {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 }];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, Timing]> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 }];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const loss = (step: number) => 2 + 3 / Math.sqrt(1 + step / 1000) + 0.01 * Math.sin(step);
const lr = (step: number) => 3e-4 * Math.min(1, step / 2000);

/** 1M scalar events: steps 0..499,999, each with a train/loss and a train/learning_rate event. */
function generateTfevents(): Uint8Array {
  const parts = [encodeTfRecord(encodeScalarEvent({ wallTime: T0, fileVersion: 'brain.Event:2' }))];
  for (let i = 0; i < POINTS; i++) {
    const step = i >> 1;
    const value =
      i % 2 === 0
        ? { tag: 'train/loss', value: loss(step) }
        : { tag: 'train/learning_rate', value: lr(step) };
    parts.push(
      encodeTfRecord(encodeScalarEvent({ step, wallTime: T0 + step * 0.1, values: [value] })),
    );
  }
  return concat(parts);
}

/** 1M history rows in the wandb-core layout: _step, _timestamp, _runtime and train/loss. */
function generateWandb(): Uint8Array {
  function* rows() {
    for (let step = 0; step < POINTS; step++) {
      const values = { _runtime: step * 0.1, 'train/loss': loss(step) };
      yield { history: { step, timestamp: T0 + step * 0.1, values } };
    }
  }
  return encodeWandbLog(rows());
}

function generateJsonl(opts: { steps: number; withLr: boolean }): Uint8Array {
  const lines: string[] = [];
  for (let step = 0; step < opts.steps; step++) {
    const row: Record<string, number> = { step, time: T0 + step * 0.1, 'train/loss': loss(step) };
    if (opts.withLr) row['train/learning_rate'] = lr(step);
    lines.push(JSON.stringify(row));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Parses a whole file in 4 MiB reads as the host does; returns [rows, points (if counted)]. */
function parseOnly(
  plugin: AnyPlugin,
  path: string,
  bytes: Uint8Array,
  countPoints = false,
): [number, number] {
  let state = plugin.initialState(path);
  let pos = 0;
  let rows = 0;
  let points = 0;
  while (pos < bytes.length) {
    const chunk = bytes.subarray(pos, Math.min(bytes.length, pos + CHUNK));
    const eof = pos + chunk.length >= bytes.length;
    const res = plugin.parse(chunk, state, { path, offset: pos, eof, final: true });
    rows += res.rows.length;
    if (countPoints) for (const row of res.rows) for (const _ in row.metrics) points++;
    state = res.state;
    pos += res.consumed;
    if (eof || res.halt || res.consumed === 0) break;
  }
  return [rows, points];
}

function medianTiming(timings: Timing[]): Timing {
  const mid = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return { wallMs: mid(timings.map((t) => t.wallMs)), cpuMs: mid(timings.map((t) => t.cpuMs)) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Case {
  name: string;
  plugin: AnyPlugin;
  file: string;
  bytes: Uint8Array;
}

const [files, generated] = time(() => ({
  tfevents: generateTfevents(),
  wandb: generateWandb(),
  jsonlSteps2: generateJsonl({ steps: POINTS / 2, withLr: true }),
  jsonlSteps1: generateJsonl({ steps: POINTS, withLr: false }),
}));
console.log(
  `generated in ${fmt(generated.wallMs)} ms: tfevents ${fmt(files.tfevents.length)} B, .wandb ${fmt(files.wandb.length)} B`,
);

const jsonl = createJsonlPlugin();
const pairs: { binary: Case; baseline: Case }[] = [
  {
    binary: {
      name: 'tensorboard',
      plugin: createTensorboardPlugin(),
      file: 'events.out.tfevents.1700000000.bench.1.0',
      bytes: files.tfevents,
    },
    baseline: {
      name: 'jsonl (500k lines x 2 metrics)',
      plugin: jsonl,
      file: 'metrics.jsonl',
      bytes: files.jsonlSteps2,
    },
  },
  {
    binary: {
      name: 'wandb',
      plugin: createWandbPlugin(),
      file: 'run-bench.wandb',
      bytes: files.wandb,
    },
    baseline: {
      name: 'jsonl (1M lines x 1 metric)',
      plugin: jsonl,
      file: 'metrics.jsonl',
      bytes: files.jsonlSteps1,
    },
  },
];

const results: Record<string, Record<string, number>> = {};
console.log('\nparse only (4 MiB reads as the host does; median of 3 after 1 counting warm-up):');
for (const c of pairs.flatMap((p) => [p.binary, p.baseline])) {
  const [rows, points] = parseOnly(c.plugin, c.file, c.bytes, true);
  const runs = Array.from({ length: RUNS }, () => time(() => parseOnly(c.plugin, c.file, c.bytes)));
  const median = medianTiming(runs.map((r) => r[1]));
  const entry = {
    parseWallMs: median.wallMs,
    parseCpuMs: median.cpuMs,
    records: rows,
    points,
    recordsPerS: (rows / median.wallMs) * 1000,
    recordsPerCpuS: (rows / median.cpuMs) * 1000,
    mbPerS: c.bytes.length / 1e6 / (median.wallMs / 1000),
  };
  results[c.name] = entry;
  console.log(
    `  ${c.name.padEnd(31)} ${fmt(rows).padStart(9)} records ${fmt(points).padStart(9)} points  ` +
      `${fmt(entry.recordsPerS).padStart(9)} records/s wall ${fmt(entry.recordsPerCpuS).padStart(9)} /s cpu  ${entry.mbPerS.toFixed(0)} MB/s`,
  );
}
const tb = results.tensorboard!;
console.log(
  `  tfevents target >= 1,000,000 scalars/s parse-only: ${tb.recordsPerS! >= 1e6 ? 'met' : 'NOT met'} ` +
    `(${fmt(tb.recordsPerS!)} wall, ${fmt(tb.recordsPerCpuS!)} per CPU second)`,
);

console.log('\nwhole ingest (ingestPaths into a temp SQLite store, one run, 1M points each):');
const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-plugins-'));
let n = 0;
async function ingestOnce(c: Case): Promise<Timing> {
  const folder = join(dir, `case-${n++}`);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, c.file);
  writeFileSync(path, c.bytes);
  const db = openSqliteStore({ path: join(folder, 'store.db') });
  try {
    const [summary, timing] = await timeAsync(() =>
      ingestPaths({ db, plugins: [c.plugin], paths: [path], format: c.plugin.meta.name }),
    );
    console.log(
      `  ${c.name.padEnd(31)} ${fmt(timing.wallMs).padStart(6)} ms wall ${fmt(timing.cpuMs).padStart(6)} ms cpu  ` +
        `${fmt(summary.points)} points (${summary.status})`,
    );
    return timing;
  } finally {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
try {
  for (const { binary, baseline } of pairs) {
    const b = await ingestOnce(binary);
    const j = await ingestOnce(baseline);
    const ratio = b.wallMs / j.wallMs;
    const cpuRatio = b.cpuMs / j.cpuMs;
    console.log(
      `  => ${binary.name} / jsonl: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x cpu (target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`,
    );
    Object.assign(results[binary.name]!, {
      ingestWallMs: b.wallMs,
      ingestCpuMs: b.cpuMs,
      ingestRatioVsJsonl: ratio,
      ingestCpuRatioVsJsonl: cpuRatio,
    });
    Object.assign(results[baseline.name]!, { ingestWallMs: j.wallMs, ingestCpuMs: j.cpuMs });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`saved ${saveBenchJson('plugins', results)}`);
