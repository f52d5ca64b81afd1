import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createCsvPlugin } from './index';

const plugin = createCsvPlugin();
/** A real YOLOv7 run folder (packages/ingest/fixtures/logs/SOURCES.md). */
const FOLDER = '../../../packages/ingest/fixtures/logs/yolov7-results-txt-opt-tfevents/';
const path = (file: string) => fileURLToPath(new URL(FOLDER + file, import.meta.url));

describe('YOLOv5 (before v6) / YOLOv7 results.txt', () => {
  const file = path('results.txt');
  const bytes = new Uint8Array(readFileSync(file));
  const lines = new TextDecoder().decode(bytes).trimEnd().split('\n');

  it('reads every epoch line of the real file by column position, the plan from e/E-1', () => {
    expect(plugin.detect(file, bytes)).toBe(0.9);
    const result = parseWhole(plugin, file, bytes);
    expect(result.rows).toHaveLength(lines.length);
    expect(result.rows.map((r) => r.step)).toEqual(lines.map((_, i) => i));
    // `      0/54     12.8G   0.03604    0.2529         0    0.2889        19       640   0.04946 ...`
    const cells = lines[0]!.trim().split(/\s+/).map(Number);
    expect(result.rows[0]!.metrics).toMatchObject({
      gpu_mem_gb: 12.8,
      'train/box_loss': cells[2],
      'train/obj_loss': cells[3],
      'train/cls_loss': cells[4],
      'train/total_loss': cells[5],
      'metrics/mAP_0.5': cells[10],
      'val/cls_loss': cells[14],
    });
    expect(result.runs?.at(-1)?.config).toMatchObject({
      'runcast/plan': { key: 'epoch e/E-1', value: 55, unit: 'epochs' },
      'runcast/trainer': 'ultralytics',
      'runcast/step_unit': 'epoch',
    });
    expect(result.issues).toEqual([]);
  });

  it('gives the same rows when tailed in pieces', () => {
    const whole = parseWhole(plugin, file, bytes).rows;
    const cuts = makeCuts({ length: bytes.length, seed: 5, maxPiece: 300 });
    expect(feedInPieces({ plugin, path: file, bytes, cuts, mode: 'tail' }).rows).toEqual(whole);
  });

  it('claims only a results.txt of epoch lines; its opt.yaml and hyp.yaml feed the same run', () => {
    expect(plugin.detect('/a/results.txt', new TextEncoder().encode('mAP 0.5 results\n'))).toBe(0);
    expect(plugin.detect('/a/notes.txt', bytes)).toBe(0);
    const hyp = path('hyp.yaml');
    expect(plugin.detect(hyp, new Uint8Array(readFileSync(hyp)))).toBe(0.9);
    // Ultralytics' DVCLive params.yaml stays the DVCLive folder's run, named after its parent.
    expect(plugin.identify!('/w/exp1/dvclive/params.yaml')).toEqual({
      key: '/w/exp1/dvclive',
      name: 'exp1',
    });
    const folder = path('').replace(/\/$/, '');
    for (const name of ['results.txt', 'opt.yaml', 'hyp.yaml']) {
      expect(plugin.identify!(path(name))).toEqual({
        key: folder,
        name: 'yolov7-results-txt-opt-tfevents',
      });
    }
  });
});
