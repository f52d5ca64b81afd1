/**
 * Parse speed of the text/JSON ingest plugins (hf-trainer, lightning, mlflow, text) on generated
 * logs: rows/s and MB/s, one-shot and in 64 KiB host-style chunks. Baseline, measured in the same
 * run on the same bytes: a bare `TextDecoder` + `split('\n')` + one `Number()` per line (the
 * least any line reader does); the ratio says what the plugin costs on top of that.
 */
import type { IngestPlugin } from '../packages/core/src/index';
import { createHfTrainerPlugin } from '../plugins/hf-trainer/src/index';
import { createLightningPlugin } from '../plugins/lightning/src/index';
import { createMlflowPlugin } from '../plugins/mlflow/src/index';
import { createTextPlugin } from '../plugins/text/src/index';
import { measureMedianMs, saveBenchJson } from './lib/measure';

const RUNS = 3;
const CHUNK = 64 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);

function lines(n: number, line: (i: number) => string): Uint8Array {
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) parts[i] = line(i);
  return encode(`${parts.join('\n')}\n`);
}

const loss = (i: number) => (2 + 8 / Math.sqrt(1 + i / 50)).toFixed(4);

interface Case {
  name: string;
  plugin: IngestPlugin<unknown>;
  path: string;
  bytes: Uint8Array;
  appendable: boolean;
}

const CASES: Case[] = [
  {
    name: 'text llm.c (1M lines)',
    plugin: createTextPlugin() as IngestPlugin<unknown>,
    path: '/bench/main.log',
    bytes: lines(1_000_000, (i) => `s:${i} trl:${loss(i)} lr:0.000600 norm:0.52`),
    appendable: true,
  },
  {
    name: 'text Megatron (200k lines)',
    plugin: createTextPlugin() as IngestPlugin<unknown>,
    path: '/bench/megatron.log',
    bytes: lines(
      200_000,
      (i) =>
        ` iteration ${String(i + 1).padStart(8)}/ 200000 | consumed samples: ${String(16 * i).padStart(12)} | elapsed time per iteration (ms): 812.3 | learning rate: 3.000000E-04 | global batch size:    16 | lm loss: ${(Number(loss(i)) * 1).toExponential(6).toUpperCase()} | loss scale: 1.0 | grad norm: 0.512 |`,
    ),
    appendable: true,
  },
  {
    name: 'mlflow metric file (1M lines)',
    plugin: createMlflowPlugin() as IngestPlugin<unknown>,
    path: '/bench/mlruns/1/0123456789abcdef0123456789abcdef/metrics/train/loss',
    bytes: lines(1_000_000, (i) => `${1700000000000 + i * 250} ${loss(i)} ${i}`),
    appendable: true,
  },
  {
    name: 'lightning metrics.csv (500k rows)',
    plugin: createLightningPlugin() as IngestPlugin<unknown>,
    path: '/bench/lightning_logs/version_0/metrics.csv',
    bytes: encode(
      `epoch,lr-AdamW,step,train_loss,val_loss\r\n${Array.from({ length: 500_000 }, (_, i) =>
        i % 2 === 0 ? `,0.0006,${i >> 1},,\r\n` : `${i >> 12},,${i >> 1},${loss(i)},\r\n`,
      ).join('')}`,
    ),
    appendable: true,
  },
  {
    name: 'hf trainer_state.json (100k entries)',
    plugin: createHfTrainerPlugin() as IngestPlugin<unknown>,
    path: '/bench/run/trainer_state.json',
    bytes: encode(
      JSON.stringify(
        {
          global_step: 100_000,
          max_steps: 100_000,
          log_history: Array.from({ length: 100_000 }, (_, i) => ({
            epoch: i / 1000,
            grad_norm: 0.5,
            learning_rate: 6e-4,
            loss: Number(loss(i)),
            step: i + 1,
          })),
        },
        null,
        2,
      ),
    ),
    appendable: false,
  },
];

function parseOnce(c: Case): number {
  const r = c.plugin.parse(c.bytes, c.plugin.initialState(c.path), {
    path: c.path,
    offset: 0,
    eof: true,
    final: true,
  });
  return r.rows.length;
}

/** As a host tails: unconsumed tail + the next 64 KiB each call. */
function parseChunked(c: Case): number {
  let state = c.plugin.initialState(c.path);
  let offset = 0;
  let rows = 0;
  while (offset < c.bytes.length) {
    const end = Math.min(c.bytes.length, offset + CHUNK);
    const final = end === c.bytes.length;
    const r = c.plugin.parse(c.bytes.subarray(offset, end), state, {
      path: c.path,
      offset,
      eof: final,
      final,
    });
    rows += r.rows.length;
    state = r.state;
    if (r.consumed === 0 && !final) throw new Error(`${c.name}: no progress at ${offset}`);
    offset += r.consumed;
    if (final) break;
  }
  return rows;
}

function baseline(c: Case): number {
  let sum = 0;
  for (const line of new TextDecoder().decode(c.bytes).split('\n'))
    sum += Number(line.slice(0, 8)) || 0;
  return sum;
}

const results = CASES.map((c) => {
  const rows = parseOnce(c);
  const mb = c.bytes.length / 1e6;
  const onceMs = measureMedianMs(() => parseOnce(c), RUNS);
  const chunkedRows = c.appendable ? parseChunked(c) : rows;
  const chunkedMs = c.appendable ? measureMedianMs(() => parseChunked(c), RUNS) : Number.NaN;
  const baseMs = measureMedianMs(() => baseline(c), RUNS);
  const out = {
    case: c.name,
    mb: Number(mb.toFixed(1)),
    rows,
    chunkedRowsEqual: chunkedRows === rows,
    onceMs: Math.round(onceMs),
    rowsPerSec: Math.round(rows / (onceMs / 1000)),
    mbPerSec: Number((mb / (onceMs / 1000)).toFixed(1)),
    chunkedMs: Math.round(chunkedMs),
    baselineMs: Math.round(baseMs),
    ratioVsBaseline: Number((onceMs / baseMs).toFixed(1)),
  };
  console.log(
    `${out.case.padEnd(38)} ${String(out.mb).padStart(5)} MB  ${String(rows).padStart(8)} rows  ` +
      `${(out.rowsPerSec / 1e6).toFixed(2)} M rows/s  ${out.mbPerSec} MB/s  ` +
      `chunked ${c.appendable ? `${out.chunkedMs} ms` : 'n/a (rewrite mode)'}  ` +
      `x${out.ratioVsBaseline} vs split+Number baseline (${out.baselineMs} ms)`,
  );
  return out;
});

console.log(`saved ${saveBenchJson('text-formats', results)}`);
