import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

const GENERIC = fileURLToPath(
  new URL('../../../../shared/fixtures/logs/generic-jsonl-csv/', import.meta.url),
);
const plugins = [createJsonlPlugin(), createCsvPlugin()];

let db: ReturnType<typeof createTestStore>;
let dir: string;
beforeEach(() => {
  db = createTestStore();
  dir = mkdtempSync(join(tmpdir(), 'runcast-ingest-'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const countPoints = async () => (await db.counts()).points;

/** Numeric cells of a delimited file, counted without the plugin (trim, skip step and empty). */
function countTableCells(path: string, delimiter: string): number {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header!.split(delimiter).length;
  return rows.reduce(
    (n, r) =>
      n +
      r
        .split(delimiter)
        .slice(1, cols)
        .filter((c) => c.trim() !== '' && !Number.isNaN(Number(c))).length,
    0,
  );
}

describe('ingestPaths on the generic fixtures', () => {
  it('ingests LLaMA-Factory trainer_log.jsonl into one run, and a second time adds 0 points', async () => {
    const path = join(GENERIC, 'llamafactory-trainer-log/trainer_log.jsonl');
    const first = await ingestPaths({ db, plugins, paths: [path] });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const lossLines = lines.filter((l) => 'loss' in JSON.parse(l));
    expect(first.status).toBe('completed');
    expect(first.files[0]).toMatchObject({
      format: 'jsonl',
      status: 'completed',
      rows: lines.length,
    });
    const [run] = await db.runs.list();
    expect(run).toMatchObject({
      name: 'llamafactory-trainer-log',
      project: 'default',
      key: dirname(path),
    });
    const loss = run!.series.find((s) => s.key === 'loss')!;
    expect(loss.points).toBe(lossLines.length);
    expect(loss.lastStep).toBe(JSON.parse(lossLines.at(-1)!).current_steps);
    expect((await db.points.readTuples({ runId: run!.id, key: 'learning_rate' }))[0]).toEqual([
      JSON.parse(lines[0]!).current_steps,
      JSON.parse(lines[0]!).learning_rate,
    ]);
    expect(first.points).toBe(await countPoints());
    const second = await ingestPaths({ db, plugins, paths: [path] });
    expect(second.points).toBe(0);
    expect(second.files[0]).toMatchObject({ status: 'unchanged', runs: [dirname(path)] });
    expect(await countPoints()).toBe(first.points);
  });

  it('ingests the Ultralytics folder: results.csv counted, args.yaml into the same run', async () => {
    const folder = join(GENERIC, 'ultralytics-yolov8-results');
    const summary = await ingestPaths({ db, plugins, paths: [folder] });
    expect(summary.status).toBe('completed');
    const yaml = summary.files.find((f) => f.path.endsWith('args.yaml'))!;
    expect(yaml).toMatchObject({ status: 'completed', format: 'csv', points: 0 });
    const csvPath = join(folder, 'runs/detect/train/results.csv');
    expect(await countPoints()).toBe(countTableCells(csvPath, ','));
    const [run] = await db.runs.list();
    expect(run!.name).toBe('train');
    expect(run!.series.map((s) => s.key)).toContain('lr/pg2');
    expect(await db.runs.list()).toHaveLength(1);
    expect(run!.config).toMatchObject({ 'runcast/trainer': 'ultralytics' });
    expect(run!.stepsPlannedSource).toBe('log-metadata');
  });

  it('ingests a DVCLive folder as one run with one series per metric file', async () => {
    const folder = join(GENERIC, 'dvclive-hf-callback');
    const summary = await ingestPaths({ db, plugins, paths: [folder], project: 'dvc' });
    expect(summary.status).toBe('completed');
    const runs = await db.runs.list();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'dvclive-hf-callback', project: 'dvc' });
    const metricsDir = join(folder, 'live/plots/metrics');
    const files = readdirSync(metricsDir);
    expect(runs[0]!.series.map((s) => s.key).sort()).toEqual(
      files.map((f) => f.replace('.tsv', '')).sort(),
    );
    for (const s of runs[0]!.series) {
      expect(s.points).toBe(countTableCells(join(metricsDir, `${s.key}.tsv`), '\t'));
    }
  });
});

describe('ingestPaths resuming, options and bad input', () => {
  it('reads only appended bytes, and re-reads a truncated or replaced file from 0', async () => {
    const path = join(dir, 'run.jsonl');
    writeFileSync(path, '{"step": 1, "loss": 3}\n{"step": 2, "loss": 2.5}\n');
    expect((await ingestPaths({ db, plugins, paths: [path] })).points).toBe(2);
    appendFileSync(path, '{"step": 3, "loss": 2}\n');
    const appended = await ingestPaths({ db, plugins, paths: [path] });
    expect(appended.files[0]).toMatchObject({ points: 1, rows: 1, bytes: 23 });
    // A restarted run rewrites the file: its points replace the old ones (none is mixed in).
    writeFileSync(path, '{"step": 1, "loss": 9}\n');
    const rewritten = await ingestPaths({ db, plugins, paths: [path] });
    expect(rewritten.files[0]!.errors[0]!.message).toMatch(/replaced by a shorter one/);
    expect(rewritten.files[0]!.errors[1]!.message).toMatch(
      /^replaced, not mixed: 3 points of its earlier content removed/,
    );
    const run = (await db.runs.get(path))!;
    expect(await db.points.readTuples({ runId: run.id, key: 'loss' })).toEqual([[1, 9]]);
  });

  it('notices a file rewritten in place with the same head (a restarted run) and re-reads it', async () => {
    const path = join(dir, 'restart.jsonl');
    const line = (i: number, v: number) => `{"step": ${i}, "loss": ${v.toFixed(6)}}\n`;
    const first = Array.from({ length: 400 }, (_, i) => line(i, 5 - i / 100)).join('');
    writeFileSync(path, first);
    await ingestPaths({ db, plugins, paths: [path] });
    // Same first 200 lines (> 4 KiB, so the same head), then other values, and a longer file.
    const restarted =
      Array.from({ length: 200 }, (_, i) => line(i, 5 - i / 100)).join('') +
      Array.from({ length: 300 }, (_, i) => line(200 + i, 9)).join('');
    expect(Buffer.byteLength(restarted)).toBeGreaterThan(Buffer.byteLength(first));
    expect(restarted.slice(0, 4096)).toBe(first.slice(0, 4096));
    writeFileSync(path, restarted);
    const again = await ingestPaths({ db, plugins, paths: [path] });
    expect(again.files[0]!.errors[0]!.message).toMatch(/file was replaced/);
    const loss = await db.points.readTuples({ runId: (await db.runs.get(path))!.id, key: 'loss' });
    expect(loss).toHaveLength(500);
    expect(loss.slice(199, 202)).toEqual([
      [199, 3.01],
      [200, 9],
      [201, 9],
    ]);
  });

  it('stores the run options: project, name, group and schedule', async () => {
    const path = join(dir, 'metrics.csv');
    writeFileSync(path, 'step,loss\n0,4\n');
    const schedule = { kind: 'wsd' as const, peak: 1e-3, warmup: 10, total: 100, decay: 0.2 };
    await ingestPaths({
      db,
      plugins,
      paths: [path],
      project: 'p',
      run: 'my-run',
      group: 'sweep',
      schedule,
      format: 'csv',
    });
    expect(await db.runs.get(path)).toMatchObject({
      project: 'p',
      name: 'my-run',
      group: 'sweep',
      schedule,
    });
    await expect(ingestPaths({ db, plugins, paths: [path], format: 'nope' })).rejects.toThrow(
      /unknown format "nope" \(available: jsonl, csv\)/,
    );
  });

  it('reports bad lines, NaN/Inf, a truncated last line, empty and binary files; keeps good lines', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      [
        '{"step": 1, "loss": 3.0}',
        'garbage here',
        '{"step": 2, "loss": "oops"}',
        '{"step": 3, "loss": NaN, "gnorm": Infinity}',
        '{"step": 4, "loss": 2.0}',
        '{"step": 5, "lo',
      ].join('\n'),
    );
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const binary = join(dir, 'blob.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 254, 10, 0, 7]));
    const summary = await ingestPaths({ db, plugins, paths: [bad, empty, binary] });
    expect(summary.status).toBe('partial');
    const [badFile, emptyFile, binFile] = summary.files;
    expect(badFile).toMatchObject({ status: 'partial', rows: 3, points: 4 });
    const lines = badFile!.errors.map((e) => [e.level, e.line ?? null, e.field ?? null]);
    expect(lines).toEqual([
      ['error', 2, null],
      ['warning', 3, 'loss'],
      ['error', 6, null],
      ['warning', null, 'loss'],
      ['warning', null, 'gnorm'],
    ]);
    expect(badFile!.errors[4]!.message).toMatch(/1 NaN\/Infinity value\(s\), first at step 3/);
    expect(emptyFile).toMatchObject({
      status: 'skipped',
      errors: [{ message: 'empty file (0 bytes)' }],
    });
    expect(binFile!.status).toBe('skipped');
    expect(binFile!.errors[0]!.message).toMatch(/no plugin recognises .*blob\.bin/);
    const run = (await db.runs.get(bad))!;
    const loss = await db.points.readTuples({ runId: run.id, key: 'loss' });
    expect(loss.map((p) => p[0])).toEqual([1, 3, 4]);
    expect(Number.isNaN(loss[1]![1])).toBe(true);
    // Completing the truncated line later stores it.
    appendFileSync(bad, 'ss": 1.5}\n');
    const resumed = await ingestPaths({ db, plugins, paths: [bad] });
    expect(resumed.files[0]).toMatchObject({ status: 'completed', points: 1 });
  });

  it('fails when nothing could be read, and reports missing paths', async () => {
    const binary = join(dir, 'blob.jsonl');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 254, 10, 0, 7, 10]));
    const summary = await ingestPaths({ db, plugins, paths: [binary, join(dir, 'missing.csv')] });
    expect(summary.status).toBe('failed');
    expect(summary.files.map((f) => f.status).sort()).toEqual(['failed', 'failed']);
    const blob = summary.files.find((f) => f.path === binary)!;
    expect(blob.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'binary data, not a JSON line'],
      [2, 'binary data, not a JSON line'],
    ]);
    expect(summary.files.find((f) => f.path !== binary)!.errors[0]!.message).toBe(
      'no such file or directory',
    );
  });

  it('streams a file larger than the chunk size and reports progress', async () => {
    const path = join(dir, 'big.jsonl');
    const n = 5000;
    writeFileSync(
      path,
      Array.from(
        { length: n },
        (_, i) => `{"step": ${i}, "loss": ${5 - i / n}, "lr": 0.001}\n`,
      ).join(''),
    );
    const progress: number[] = [];
    const summary = await ingestPaths({
      db,
      plugins,
      paths: [path],
      chunkSize: 4096,
      onProgress: (p) => progress.push(p.bytesDone / p.bytesTotal),
    });
    expect(summary.points).toBe(2 * n);
    expect(await countPoints()).toBe(2 * n);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(1);
  });
});
