import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

const plugins = [createJsonlPlugin(), createCsvPlugin(), createTextPlugin()];

describe('never a silent empty read', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-empty-read-'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file --format forces on from which nothing is read fails, naming the format and its first lines', async () => {
    const path = join(dir, 'metrics.csv');
    writeFileSync(path, 'step,loss\n1,2.5\n2,2.4\n');
    const summary = await ingestPaths({ db, plugins, paths: [path], format: 'text' });
    expect(summary.status).toBe('failed');
    expect(summary.points).toBe(0);
    const [file] = summary.files;
    expect(file).toMatchObject({ path, format: 'text', status: 'failed' });
    expect(file!.errors[0]!.message).toBe(
      'nothing could be read from this file as text; its first lines did not parse: "step,loss", "1,2.5", "2,2.4"',
    );
  });

  it('a metadata-only file and a young CSV with only its header are not read failures', async () => {
    const yolo = join(dir, 'train');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(yolo);
    writeFileSync(join(yolo, 'args.yaml'), 'task: detect\nepochs: 100\nlr0: 0.01\n');
    writeFileSync(join(yolo, 'results.csv'), 'epoch,train/box_loss,lr/pg0\n');
    const summary = await ingestPaths({ db, plugins, paths: [yolo] });
    const args = summary.files.find((f) => f.path.endsWith('args.yaml'))!;
    expect(args).toMatchObject({ format: 'csv', status: 'completed', errors: [] });
    const csv = summary.files.find((f) => f.path.endsWith('results.csv'))!;
    expect(csv.status).toBe('completed');
  });

  it('images, weights and side files in a folder are skipped without failing the ingest', async () => {
    writeFileSync(join(dir, 'run.jsonl'), '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4}\n');
    writeFileSync(join(dir, 'curve.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    writeFileSync(join(dir, 'best.pt'), Buffer.from([0x50, 0x4b, 3, 4, 0, 0]));
    writeFileSync(join(dir, 'report.html'), '<html><body>loss curve</body></html>\n');
    const summary = await ingestPaths({ db, plugins, paths: [dir] });
    expect(summary).toMatchObject({ status: 'completed', points: 2 });
    const skipped = summary.files.filter((f) => f.status === 'skipped');
    expect(skipped.map((f) => f.path.split('/').at(-1)).sort()).toEqual([
      'best.pt',
      'curve.png',
      'report.html',
    ]);
    for (const f of skipped) expect(f.errors[0]!.message).toMatch(/^no plugin recognises/);
  });
});
