import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLearningRateKey, pickLearningRateKey } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

it('keeps learning-rate series names (lr-AdamW, lr-AdamW/pg1, train/lr) through JSONL and CSV', async () => {
  const db = createTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'runcast-lr-'));
  try {
    const jsonl = join(dir, 'lightning.jsonl');
    writeFileSync(
      jsonl,
      [
        '{"step": 0, "lr-AdamW": 0.001, "lr-AdamW/pg1": 0.0005, "train/loss": 3.1}',
        '{"step": 1, "lr-AdamW": 0.0009, "lr-AdamW/pg1": 0.00045, "train/loss": 2.9}',
        '',
      ].join('\n'),
    );
    const csv = join(dir, 'opt.csv');
    writeFileSync(csv, 'step,train/lr,loss,momentum\n0,3e-4,2.5,0.9\n1,2.9e-4,2.4,0.9\n');
    const summary = await ingestPaths({
      db,
      plugins: [createJsonlPlugin(), createCsvPlugin()],
      paths: [jsonl, csv],
    });
    expect(summary.status).toBe('completed');
    const keysOf = async (path: string) =>
      (await db.series.list({ runId: (await db.runs.get(path))!.id })).map((s) => s.key);
    const jsonlKeys = await keysOf(jsonl);
    expect(jsonlKeys.sort()).toEqual(['lr-AdamW', 'lr-AdamW/pg1', 'train/loss']);
    expect(jsonlKeys.filter(isLearningRateKey).sort()).toEqual(['lr-AdamW', 'lr-AdamW/pg1']);
    expect(pickLearningRateKey(jsonlKeys)).toBe('lr-AdamW');
    const csvKeys = await keysOf(csv);
    expect(csvKeys.sort()).toEqual(['loss', 'momentum', 'train/lr']);
    expect(pickLearningRateKey(csvKeys)).toBe('train/lr');
    expect(
      (await db.series.list({ runId: (await db.runs.get(csv))!.id })).every((s) => s.points === 2),
    ).toBe(true);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
