import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLearningRateKey } from '@runcast/core';
import { feedInPieces } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createCsvPlugin } from './index';

const GENERIC = fileURLToPath(
  new URL('../../../../shared/fixtures/logs/generic-jsonl-csv/', import.meta.url),
);
const RESULTS = join(GENERIC, 'ultralytics-yolov8-results/runs/detect/train/results.csv');
const DVC_METRICS = join(GENERIC, 'dvclive-hf-callback/live/plots/metrics');

const plugin = createCsvPlugin();
const enc = new TextEncoder();

/** Reads a file as the host's read loop does: windows of `chunkSize` bytes, one-shot (final). */
function parseAll(path: string, bytes: Uint8Array, chunkSize = 1 << 20) {
  return feedInPieces({ plugin, path, bytes, chunkSize });
}

describe('csv plugin on Ultralytics results.csv (space-padded)', () => {
  const bytes = readFileSync(RESULTS);
  const lines = bytes.toString('utf8').trim().split('\n');
  const header = lines[0]!.split(',').map((c) => c.trim());

  it('trims cells, uses epoch as the step and every other column as a series', () => {
    const { rows, issues } = parseAll(RESULTS, bytes);
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(lines.length - 1);
    expect(rows.map((r) => r.step)).toEqual(
      lines.slice(1).map((l) => Number(l.split(',')[0]!.trim())),
    );
    expect(Object.keys(rows[0]!.metrics).sort()).toEqual(header.slice(1).sort());
    const lastCells = lines
      .at(-1)!
      .split(',')
      .map((c) => Number(c.trim()));
    expect(rows.at(-1)!.metrics['val/dfl_loss']).toBe(lastCells[header.indexOf('val/dfl_loss')]);
    expect(Object.keys(rows[0]!.metrics).filter(isLearningRateKey).sort()).toEqual([
      'lr/pg0',
      'lr/pg1',
      'lr/pg2',
    ]);
  });

  it('gives the same rows fed in 100-byte chunks', () => {
    expect(parseAll(RESULTS, bytes, 100).rows).toEqual(parseAll(RESULTS, bytes).rows);
  });
});

describe('csv plugin on a DVCLive folder', () => {
  const files = readdirSync(DVC_METRICS).filter((f) => f.endsWith('.tsv'));

  it('maps every metric file of the folder to one run, the metric key from the file name', () => {
    const identities = files.map((f) => plugin.identify!(join(DVC_METRICS, f)));
    expect(new Set(identities.map((i) => i.key)).size).toBe(1);
    expect(identities[0]!.name).toBe('dvclive-hf-callback');
    for (const f of files) {
      const path = join(DVC_METRICS, f);
      const bytes = readFileSync(path);
      expect(plugin.detect(path, bytes.subarray(0, 65536))).toBeGreaterThanOrEqual(0.9);
      const { rows, issues } = parseAll(path, bytes);
      const dataLines = bytes.toString('utf8').trim().split('\n').slice(1);
      expect(issues).toEqual([]);
      expect(rows).toHaveLength(dataLines.length);
      const metric = f.replace(/\.tsv$/, '');
      expect(rows.every((r) => Object.keys(r.metrics).join() === metric)).toBe(true);
      const [step, value] = dataLines.at(-1)!.split('\t').map(Number);
      expect(rows.at(-1)).toEqual({ step, metrics: { [metric]: value } });
    }
  });
});

describe('csv plugin on DVCLive layouts not in the fixture', () => {
  it('takes nested metric names from the path and reads a timestamp column', () => {
    const path = '/exp/dvclive/plots/metrics/train/loss.tsv';
    expect(plugin.identify!(path)).toEqual({ key: '/exp/dvclive', name: 'exp' });
    const { rows, issues } = parseAll(
      path,
      enc.encode('timestamp\tstep\tloss\n1700000000000\t0\t2.5\n1700000001000\t1\t2.25\n'),
    );
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { step: 0, metrics: { 'train/loss': 2.5 }, time: 1_700_000_000 },
      { step: 1, metrics: { 'train/loss': 2.25 }, time: 1_700_000_001 },
    ]);
  });
});

describe('csv plugin on other tables and bad input', () => {
  it('sniffs tab and semicolon delimiters, skips empty cells and repeated headers', () => {
    const tsv = parseAll('/a.tsv', enc.encode('iter\tloss\tlr\n1\t2.5\t\n2\t\t1e-4\n'));
    expect(tsv.rows).toEqual([
      { step: 1, metrics: { loss: 2.5 } },
      { step: 2, metrics: { lr: 1e-4 } },
    ]);
    const semi = parseAll(
      '/a.csv',
      enc.encode('Step;Loss;time\n10;1.5;1700000000\nStep;Loss;time\n'),
    );
    expect(semi.rows).toEqual([{ step: 10, metrics: { Loss: 1.5 }, time: 1_700_000_000 }]);
  });

  it('reads a time column as wall time, or as a series when it holds durations', () => {
    const wall = parseAll('/w.csv', enc.encode('step,loss,timestamp\n1,2,1700000000123\n'));
    expect(wall.rows).toEqual([{ step: 1, metrics: { loss: 2 }, time: 1_700_000_000.123 }]);
    const dur = parseAll('/d.csv', enc.encode('step,loss,time\n1,2,0.5\n'));
    expect(dur.rows).toEqual([{ step: 1, metrics: { loss: 2, time: 0.5 } }]);
  });

  it('reports bad rows with line numbers and keeps the good ones', () => {
    const input = [
      'step,loss,name',
      '1,3.0,run-a',
      'garbage',
      '2,abc,run-a',
      '3,nan,run-a',
      '4,inf,run-a,extra',
      '"5","2.0","q"',
      '6,1.9',
    ].join('\r\n');
    const { rows, issues, consumed } = parseAll('/x.csv', enc.encode(input));
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]!.metrics).toEqual({});
    expect(Number.isNaN(rows[2]!.metrics.loss)).toBe(true);
    expect(rows[3]!.metrics.loss).toBe(Number.POSITIVE_INFINITY);
    expect(rows[4]!.metrics).toEqual({ loss: 2 });
    const byLine = issues.map((i) => [i.line, i.level, i.field]);
    expect(byLine).toEqual([
      [2, 'warning', 'name'],
      [3, 'error', 'step'],
      [4, 'warning', 'loss'],
      [6, 'warning', undefined],
      [8, 'error', undefined],
    ]);
    expect(issues.at(-1)!.message).toMatch(/truncated last line/);
    expect(consumed).toBe(input.lastIndexOf('\n') + 1);
  });

  it('reports a line with an unbalanced quote instead of throwing, and reads on', () => {
    const input = 'step,loss\n1,2.5\n2,"2.4\n3,"2.3"\n4,2.2\n5,"2.';
    const { rows, issues, consumed } = parseAll('/q.csv', enc.encode(input));
    expect(rows).toEqual([
      { step: 1, metrics: { loss: 2.5 } },
      { step: 3, metrics: { loss: 2.3 } },
      { step: 4, metrics: { loss: 2.2 } },
    ]);
    expect(issues.map((i) => [i.line, i.level])).toEqual([
      [3, 'error'],
      [6, 'error'],
    ]);
    expect(issues[0]!.message).toMatch(/unbalanced quote/);
    expect(issues[1]!.message).toMatch(/truncated last line/);
    expect(consumed).toBe(input.lastIndexOf('\n') + 1);
  });

  it('waits for a partial row while tailing, and numbers rows without a step column', () => {
    const res = plugin.parse(enc.encode('step,loss\n1,2\n2,1.'), plugin.initialState('/t.csv'), {
      path: '/t.csv',
      offset: 0,
      eof: true,
      final: false,
    });
    expect(res.rows).toEqual([{ step: 1, metrics: { loss: 2 } }]);
    expect(res.consumed).toBe('step,loss\n1,2\n'.length);
    const noStep = parseAll('/n.csv', enc.encode('loss,acc\n3,0.1\n2,0.2\n'));
    expect(noStep.rows.map((r) => r.step)).toEqual([0, 1]);
    expect(noStep.issues[0]!.message).toMatch(/no step column/);
  });

  it('detects tables but not JSON or binary', () => {
    expect(plugin.detect('/r/results.csv', enc.encode('epoch, loss\n0, 1\n'))).toBeGreaterThan(0.5);
    expect(plugin.detect('/r/out.log', enc.encode('step,loss\n1,2\n2,1\n'))).toBeGreaterThan(0);
    expect(plugin.detect('/r/x.csv', enc.encode('{"step": 1}\n'))).toBe(0);
    expect(plugin.detect('/r/x.csv', new Uint8Array([1, 0, 2]))).toBe(0);
    expect(plugin.detect('/r/notes.txt', enc.encode('hello world\n'))).toBe(0);
  });
});
