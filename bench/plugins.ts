/**
 * Binary ingest plugins: parse-only speed of the tensorboard and wandb parsers on generated files
 * (1M scalars in a tfevents file, 1M history rows in a .wandb log), and the whole ingest into a
 * temp SQLite store compared with the JSONL path on the same number of points (baseline measured
 * in the same run). Target: tfevents >= 1M scalars/s parse-only; whole ingest within 2x of JSONL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestPlugin } from '../packages/core/src/index';
import { openDb } from '../packages/db/src/index';
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
  const parts: Uint8Array[] = [
    encodeTfRecord(encodeScalarEvent({ wallTime: T0, fileVersion: 'brain.Event:2' })),
  ];
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

/** 1M history rows (wandb-core layout: nested_key items, _step/_timestamp/_runtime + loss). */
function generateWandb(): Uint8Array {
  function* rows() {
    for (let step = 0; step < POINTS; step++) {
      yield {
        history: {
          step,
          timestamp: T0 + step * 0.1,
          values: { _runtime: step * 0.1, 'train/loss': loss(step) },
        },
      };
    }
  }
  return encodeWandbLog(rows());
}

/** The JSONL equivalent of the tfevents file: 500k lines of {step, time, loss, lr} = 1M points. */
function generateJsonl(): Uint8Array {
  const lines: string[] = [];
  for (let step = 0; step < POINTS / 2; step++) {
    lines.push(
      JSON.stringify({
        step,
        time: T0 + step * 0.1,
        'train/loss': loss(step),
        'train/learning_rate': lr(step),
      }),
    );
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Parses a whole file in 4 MiB reads as the host does; returns [wall ms, cpu ms, rows, points]. */
function parseOnly<S>(
  plugin: IngestPlugin<S>,
  path: string,
  bytes: Uint8Array,
): [number, number, number, number] {
  const t = performance.now();
  const cpu = process.cpuUsage();
  let state = plugin.initialState(path);
  let pos = 0;
  let rows = 0;
  let points = 0;
  while (pos < bytes.length) {
    const chunk = bytes.subarray(pos, Math.min(bytes.length, pos + CHUNK));
    const eof = pos + chunk.length >= bytes.length;
    const res = plugin.parse(chunk, state, { path, offset: pos, eof, final: true });
    rows += res.rows.length;
    for (const row of res.rows) for (const _ in row.metrics) points++;
    state = res.state;
    pos += res.consumed;
    if (eof || res.halt || res.consumed === 0) break;
  }
  const used = process.cpuUsage(cpu);
  return [performance.now() - t, (used.user + used.system) / 1000, rows, points];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

let t = performance.now();
const tfevents = generateTfevents();
const wandb = generateWandb();
const jsonl = generateJsonl();
console.log(
  `generated in ${fmt(performance.now() - t)} ms: tfevents ${fmt(tfevents.length)} B, .wandb ${fmt(wandb.length)} B, jsonl ${fmt(jsonl.length)} B`,
);

const cases = [
  {
    name: 'tensorboard',
    plugin: createTensorboardPlugin(),
    file: 'events.out.tfevents.1700000000.bench.1.0',
    bytes: tfevents,
  },
  { name: 'wandb', plugin: createWandbPlugin(), file: 'run-bench.wandb', bytes: wandb },
  { name: 'jsonl (baseline)', plugin: createJsonlPlugin(), file: 'metrics.jsonl', bytes: jsonl },
] as const;

const results: Record<string, unknown> = {};
console.log(
  '\nparse only (4 MiB reads, median of 3 after 1 warm-up; wall time, and process CPU time which\n' +
    'is steadier on a shared machine):',
);
for (const c of cases) {
  const plugin = c.plugin as IngestPlugin<unknown>;
  parseOnly(plugin, c.file, c.bytes);
  const runs = Array.from({ length: RUNS }, () => parseOnly(plugin, c.file, c.bytes));
  const ms = median(runs.map((r) => r[0]));
  const cpuMs = median(runs.map((r) => r[1]));
  const [, , rows, points] = runs[0]!;
  const recordsPerS = (rows / ms) * 1000;
  const recordsPerCpuS = (rows / cpuMs) * 1000;
  const mbPerS = c.bytes.length / 1e6 / (ms / 1000);
  console.log(
    `  ${c.name.padEnd(17)} ${fmt(ms).padStart(6)} ms wall ${fmt(cpuMs).padStart(6)} ms cpu  ${fmt(rows)} records, ${fmt(points)} points  ${fmt(recordsPerS).padStart(10)} records/s wall ${fmt(recordsPerCpuS).padStart(10)} records/s cpu  ${mbPerS.toFixed(0)} MB/s`,
  );
  results[c.name] = {
    parseMs: ms,
    cpuMs,
    records: rows,
    points,
    recordsPerS,
    recordsPerCpuS,
    mbPerS,
  };
}
const tb = results.tensorboard as { recordsPerS: number; recordsPerCpuS: number };
console.log(
  `  tfevents target >= 1,000,000 scalars/s: ${tb.recordsPerS >= 1e6 ? 'met' : 'NOT met'} (${fmt(tb.recordsPerS)} wall, ${fmt(tb.recordsPerCpuS)} cpu)`,
);

console.log('\nwhole ingest into a temp SQLite store (ingestPaths, one run each, 1M points):');
const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-plugins-'));
try {
  const ingestMs: Record<string, number> = {};
  const ingestCpuMs: Record<string, number> = {};
  for (const c of cases) {
    const folder = join(dir, c.name.split(' ')[0]!);
    const path = join(folder, c.file);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, c.bytes);
    const db = openDb({ path: join(dir, `${c.name.split(' ')[0]}.db`) });
    try {
      t = performance.now();
      const cpu = process.cpuUsage();
      const summary = await ingestPaths({
        db,
        plugins: [c.plugin],
        paths: [path],
        format: c.plugin.meta.name,
      });
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      ingestMs[c.name] = ms;
      ingestCpuMs[c.name] = cpuMs;
      console.log(
        `  ${c.name.padEnd(17)} ${fmt(ms).padStart(6)} ms wall ${fmt(cpuMs).padStart(6)} ms cpu  ${fmt(summary.points)} points  ${fmt((summary.points / ms) * 1000).padStart(9)} points/s wall  (${summary.status})`,
      );
    } finally {
      db.close();
    }
  }
  const base = ingestMs['jsonl (baseline)']!;
  const baseCpu = ingestCpuMs['jsonl (baseline)']!;
  for (const name of ['tensorboard', 'wandb']) {
    const ratio = ingestMs[name]! / base;
    const cpuRatio = ingestCpuMs[name]! / baseCpu;
    console.log(
      `  ${name} / jsonl ingest time: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x cpu (target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`,
    );
    const entry = results[name] as Record<string, number>;
    entry.ingestMs = ingestMs[name]!;
    entry.ingestCpuMs = ingestCpuMs[name]!;
    entry.ingestRatioVsJsonl = ratio;
    entry.ingestCpuRatioVsJsonl = cpuRatio;
  }
  (results['jsonl (baseline)'] as Record<string, number>).ingestMs = base;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`saved ${saveBenchJson('plugins', results)}`);
