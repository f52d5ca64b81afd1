import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

/**
 * Real structured log folders written by tools the shared fixtures do not cover (detectron2,
 * MMEngine, Ultralytics 11, Ultralytics through DVCLive, Keras CSVLogger; sources in
 * packages/ingest/fixtures/logs/SOURCES.md), read as a new user would: `ingest <folder>`, then
 * the run's loss, plan, status and a forecast with a band, nothing declared.
 */
const OURS = fileURLToPath(new URL('../../ingest/fixtures/logs/', import.meta.url));

function folderApi(folder: string) {
  const api = openTestApi();
  beforeAll(async () => {
    const summary = await api.services.ingest.ingestFiles({ paths: [`${OURS}${folder}`] });
    expect(summary.status).toBe('completed');
  });
  afterAll(() => api.close());
  return api;
}

async function expectBand(api: ReturnType<typeof openTestApi>, runId: number) {
  const f = await api.caller.forecasts.get({ runId, calibrate: false });
  for (const v of [f.final.lo95, f.final.lo80, f.final.mean, f.final.hi80, f.final.hi95]) {
    expect(Number.isFinite(v)).toBe(true);
  }
  expect(f.final.hi95).toBeGreaterThan(f.final.lo95);
  return f;
}

describe('detectron2 output/metrics.json (one JSON line per 20 iterations)', () => {
  const api = folderApi('detectron2-metrics-json');

  it('forecasts total_loss, not one of its parts (loss_cls, loss_box_reg, ...)', async () => {
    const [run] = await api.services.runs.list();
    expect(run!.lossKey).toBe('total_loss');
    const loss = run!.series.find((s) => s.key === 'total_loss');
    expect(loss).toMatchObject({ points: 200, lastStep: 3999 });
    expect(run!.series.map((s) => s.key)).toEqual(
      expect.arrayContaining(['loss_cls', 'loss_box_reg', 'loss_rpn_cls', 'lr']),
    );
    const f = await expectBand(api, run!.id);
    expect(f.observedUntil).toBe(3999);
  });
});

describe('MMEngine vis_data (the same scalars in <timestamp>.json and scalars.json)', () => {
  const api = folderApi('mmengine-vis-data-scalars');

  it('one run named after the work folder, each loss point once', async () => {
    const runs = await api.services.runs.list();
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run!.name).toBe('mmengine-vis-data-scalars');
    expect(run!.lossKey).toBe('loss');
    expect(run!.series.find((s) => s.key === 'loss')).toMatchObject({ points: 59, lastStep: 4071 });
    await expectBand(api, run!.id);
  });
});

describe('Ultralytics through DVCLive (dvclive/plots/metrics/<group>/<metric>.tsv, params.yaml)', () => {
  const api = folderApi('dvclive-ultralytics-nested');

  it('reads the planned epochs from dvclive/params.yaml: 5 of 5 epochs is finished', async () => {
    const [listed] = await api.services.runs.list();
    const run = await api.caller.runs.resolve({ ref: listed!.id });
    expect(run).toMatchObject({
      lossKey: 'train/box_loss',
      lrKey: 'lr/pg0',
      stepsPlanned: 5,
      stepsPlannedSource: 'log-metadata',
      status: 'finished',
    });
    await expectBand(api, run.id);
  });
});

describe('Ultralytics 11 results.csv (a `time` column) beside args.yaml', () => {
  const api = folderApi('yolo11-results-time-column');

  it('50 of 50 epochs: finished, forecast with a band', async () => {
    const [listed] = await api.services.runs.list();
    const run = await api.caller.runs.resolve({ ref: listed!.id });
    expect(run).toMatchObject({ lossKey: 'train/box_loss', stepsPlanned: 50, status: 'finished' });
    await expectBand(api, run.id);
  });
});

describe('Keras CSVLogger training.log (CSV under a .log name)', () => {
  const api = folderApi('keras-csvlogger-training-log');

  it('reads it as a table: loss per epoch', async () => {
    const [run] = await api.services.runs.list();
    expect(run!.lossKey).toBe('loss');
    expect(run!.series.find((s) => s.key === 'loss')).toMatchObject({ points: 17, lastStep: 16 });
  });
});

describe('W&B 0.12 offline run of YOLOv5 (config from the run record, 3 epochs)', () => {
  const api = folderApi('wandb-offline-0.12-yolov5');

  it('the stated epochs are the plan: one history row per epoch', async () => {
    const [listed] = await api.services.runs.list();
    const run = await api.caller.runs.resolve({ ref: listed!.id });
    expect(run).toMatchObject({
      lossKey: 'train/box_loss',
      lrKey: 'x/lr0',
      stepsPlanned: 3,
      stepsPlannedSource: 'log-metadata',
      status: 'finished',
    });
    // Finished at its last logged epoch: the final loss is observed (a band of zero width).
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(2);
    expect(Number.isFinite(f.final.mean)).toBe(true);
  });
});

describe('W&B 0.15 run folder with its console capture (files/output.log)', () => {
  const api = folderApi('wandb-0.15-custom-loop');

  it('reads the history once: output.log is not a second run of the same numbers', async () => {
    const summary = await api.services.ingest.ingestFiles({
      paths: [`${OURS}wandb-0.15-custom-loop`],
    });
    const capture = summary.files.find((f) => f.path.endsWith('files/output.log'));
    expect(capture).toMatchObject({ status: 'skipped', points: 0 });
    expect(capture!.errors[0]!.message).toContain('run-2s61m0rn.wandb');
    const runs = await api.services.runs.list();
    expect(runs.map((r) => r.name)).toEqual(['2s61m0rn']);
    expect(runs[0]!.series.map((s) => s.key).sort()).toEqual([
      'train_acc',
      'train_loss',
      'val_acc',
      'val_loss',
    ]);
  });

  it('an explicitly named output.log is still read', async () => {
    const path = `${OURS}wandb-0.15-custom-loop/wandb/run-20231005_144127-2s61m0rn/files/output.log`;
    const summary = await api.services.ingest.ingestFiles({ paths: [path] });
    expect(summary.files[0]).toMatchObject({ format: 'text', status: 'completed' });
  });
});
