import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_KEY } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createLightningPlugin } from '@runcast/plugin-lightning';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';
import type { IngestEvent } from './types';
import { watch } from './watch';

/**
 * Lightning's final checkpoint as a `finished` signal, on a real CSVLogger folder (0Xero7/
 * slm_training: 10 epochs stated as `num_epochs` in hparams.yaml, 14,074 steps each, metrics up
 * to step 140,739). ModelCheckpoint names a checkpoint `epoch={epoch}-step={global_step}.ckpt`;
 * the files here are empty, as only their names are the signal (their bytes are never read).
 */
const VERSION_0 = new URL(
  '../../../../shared/fixtures/logs/lightning-csv/slm-training-epoch-and-step/lightning_logs/version_0/',
  import.meta.url,
).pathname;
const plugins = [createLightningPlugin(), createJsonlPlugin()];

describe('a Lightning run whose folder holds the checkpoint of its planned end is finished', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  let version: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-ckpt-'));
    version = join(dir, 'lightning_logs', 'version_0');
    mkdirSync(join(version, 'checkpoints'), { recursive: true });
    cpSync(join(VERSION_0, 'hparams.yaml'), join(version, 'hparams.yaml'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** metrics.csv as written, or its first `rows` data rows (a run killed there). */
  function writeMetrics(rows?: number): void {
    const text = readFileSync(join(VERSION_0, 'metrics.csv'), 'utf8');
    if (rows === undefined) writeFileSync(join(version, 'metrics.csv'), text);
    else {
      const lines = text.split('\r\n').slice(0, rows + 1);
      writeFileSync(join(version, 'metrics.csv'), `${lines.join('\r\n')}\r\n`);
    }
  }

  function checkpoint(name: string, content = ''): string {
    const path = join(version, 'checkpoints', name);
    writeFileSync(path, content);
    return path;
  }

  it('the checkpoint at the end of the 10th epoch: finished, as the logs state', async () => {
    writeMetrics();
    // Bytes that would read as a JSONL log: the name is all the host looks at.
    const ckpt = checkpoint('epoch=9-step=140740.ckpt', '{"step": 1, "loss": 2.5}\n');
    const last = checkpoint('last.ckpt');
    const summary = await ingestPaths({ db, plugins, paths: [dir] });
    const run = (await db.runs.get(version))!;
    expect(run).toMatchObject({
      status: 'finished',
      statusSource: 'log-metadata',
      stepsPlanned: 140740,
      stepsPlannedSource: 'log-metadata',
    });
    expect(run.config[CHECKPOINT_KEY]).toEqual({
      file: 'epoch=9-step=140740.ckpt',
      step: 140740,
      epoch: 10,
    });
    // Skipped, not read (no points, no run of their own), counted among the files that are not logs.
    const sides = summary.files.filter((f) => f.sideFileOf !== undefined);
    expect(sides.map((f) => [f.path, f.status, f.points, f.bytes, f.format, f.runs])).toEqual([
      [ckpt, 'skipped', 0, 0, null, [version]],
      [last, 'skipped', 0, 0, null, [version]],
    ]);
    expect(sides.every((f) => f.sideFileOf === 'lightning' && f.errors.length === 0)).toBe(true);
    expect(summary.status).toBe('completed');
    expect(await db.runs.list()).toHaveLength(1);
    expect(summary.points).toBe(summary.files.find((f) => f.path.endsWith('metrics.csv'))!.points);
  });

  it('a run killed in its 6th epoch, its last checkpoint from the 5th: not finished', async () => {
    writeMetrics(1417 + 100); // epochs 0-4 and the start of epoch 5
    checkpoint('epoch=4-step=70370.ckpt');
    await ingestPaths({ db, plugins, paths: [dir] });
    const run = (await db.runs.get(version))!;
    expect(run).toMatchObject({ status: 'unknown', statusSource: null });
    expect(run.config[CHECKPOINT_KEY]).toEqual({
      file: 'epoch=4-step=70370.ckpt',
      step: 70370,
      epoch: 5,
    });
  });

  it('a checkpoint saved part-way through the last epoch (every_n_train_steps) is not the end', async () => {
    writeMetrics();
    checkpoint('epoch=9-step=133000.ckpt');
    await ingestPaths({ db, plugins, paths: [dir] });
    expect(await db.runs.get(version)).toMatchObject({ status: 'unknown', stepsPlanned: 140740 });
  });

  it('max_steps stated: the checkpoint whose step reaches it ends the run, an earlier one does not', async () => {
    writeMetrics(1417);
    writeFileSync(join(version, 'hparams.yaml'), 'max_steps: 70370\n', { flag: 'a' });
    checkpoint('epoch=3-step=56296.ckpt');
    await ingestPaths({ db, plugins, paths: [dir] });
    expect(await db.runs.get(version)).toMatchObject({ status: 'unknown', stepsPlanned: 70370 });
    checkpoint('epoch=4-step=70370.ckpt');
    await ingestPaths({ db, plugins, paths: [dir] });
    const run = (await db.runs.get(version))!;
    expect(run).toMatchObject({ status: 'finished', statusSource: 'log-metadata' });
    expect(run.config[CHECKPOINT_KEY]).toMatchObject({ step: 70370 });
  });

  it('keeps the furthest checkpoint, whichever is seen last; a status a user set stays', async () => {
    writeMetrics();
    checkpoint('epoch=9-step=140740.ckpt');
    checkpoint('epoch=8-step=126666.ckpt');
    await ingestPaths({ db, plugins, paths: [dir] });
    const run = (await db.runs.get(version))!;
    expect(run.config[CHECKPOINT_KEY]).toMatchObject({ step: 140740 });
    await db.runs.update({ id: run.id, patch: { status: 'crashed', statusSource: 'user' } });
    await ingestPaths({ db, plugins, paths: [dir] });
    expect(await db.runs.get(version)).toMatchObject({ status: 'crashed', statusSource: 'user' });
  });

  it('a checkpoint read before its run exists makes no run; its metrics read later are finished by it', async () => {
    const ckpt = checkpoint('epoch=9-step=140740.ckpt');
    const alone = await ingestPaths({ db, plugins, paths: [ckpt] });
    expect(alone.files).toMatchObject([{ path: ckpt, status: 'skipped', runs: [] }]);
    expect(await db.runs.list()).toEqual([]);
    // The folder with its logs: the metrics create the run, then the checkpoint applies.
    writeMetrics();
    await ingestPaths({ db, plugins, paths: [dir] });
    expect(await db.runs.get(version)).toMatchObject({ status: 'finished' });
  });

  it('watched: the final checkpoint appearing ends the run; one seen before its metrics waits for them', async () => {
    checkpoint('epoch=4-step=70370.ckpt'); // seen in the first scan, perhaps before the metrics
    writeMetrics(1417);
    writeFileSync(join(version, 'hparams.yaml'), 'max_steps: 140740\n', { flag: 'a' });
    const events: IngestEvent[] = [];
    const watcher = watch({ db, plugins, paths: [dir], onEvent: (e) => events.push(e) });
    try {
      await watcher.ready;
      await watcher.idle();
      const before = (await db.runs.get(version))!;
      expect(before.status).toBe('unknown');
      expect(before.config[CHECKPOINT_KEY]).toMatchObject({ step: 70370 });
      const ckpt = checkpoint('epoch=9-step=140740.ckpt');
      const end = Date.now() + 5000;
      while ((await db.runs.get(version))?.status !== 'finished' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await db.runs.get(version)).toMatchObject({
        status: 'finished',
        statusSource: 'log-metadata',
      });
      const told = events.filter((e) => e.type === 'file' && e.summary.path === ckpt);
      expect(told).toMatchObject([{ summary: { sideFileOf: 'lightning', runs: [version] } }]);
    } finally {
      await watcher.close();
    }
  });
});
