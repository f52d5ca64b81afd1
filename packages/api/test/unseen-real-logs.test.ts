import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

/**
 * Real log folders of forms the shared fixtures do not have (packages/ingest/fixtures/logs,
 * SOURCES.md there), read and forecast as a new user would: `ingest <folder>`, then the run's
 * forecast with nothing declared.
 */
const OURS = fileURLToPath(new URL('../../ingest/fixtures/logs/', import.meta.url));

type Assumption = { source: string; detail: string };
const assumptionOf = (d: Record<string, unknown>) => d.scheduleAssumption as Assumption;

describe('llm.c training stdout cancelled at step 750 of 19560 (SLURM job log)', () => {
  const api = openTestApi();
  beforeAll(async () => {
    const summary = await api.services.ingest.ingestFiles({
      paths: [`${OURS}llmc-stdout-slurm-cancelled`],
    });
    expect(summary.status).toBe('completed');
  });
  afterAll(() => api.close());

  it('reads the loss, the stated length and the settings; forecasts under the stated cosine', async () => {
    const [listed] = await api.services.runs.list();
    const run = await api.caller.runs.resolve({ ref: listed!.id });
    expect(run).toMatchObject({
      lossKey: 'train_loss',
      lrKey: 'lr',
      stepsPlanned: 19560,
      stepsPlannedSource: 'log-metadata',
    });
    expect(listed!.series.find((s) => s.key === 'train_loss')?.points).toBe(750);
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(19560);
    expect(Number.isFinite(f.final.mean) && Number.isFinite(f.final.hi95)).toBe(true);
    // The LR is still at its peak after warmup: its future is what the settings table states.
    const a = assumptionOf(f.diagnostics);
    expect(a.source).toBe('declared');
    expect(a.detail).toContain('llm.c settings state LR scheduler cosine, 700 warmup steps');
    expect(f.diagnostics.schedule).toMatchObject({ kind: 'cosine', total: 19560, warmup: 700 });
  });
});

describe('a detectron2 output folder: metrics.json and tfevents of one run, side files', () => {
  const api = openTestApi();
  let files: { path: string; status: string; format: string | null; points: number }[] = [];
  beforeAll(async () => {
    const summary = await api.services.ingest.ingestFiles({
      paths: [`${OURS}detectron2-output-dir-tfevents`],
    });
    files = summary.files.map((f) => ({
      path: f.path.slice(f.path.indexOf('/output/') + 1),
      status: f.status,
      format: f.format,
      points: f.points,
    }));
  });
  afterAll(() => api.close());

  it('reads both files into one run whose target is total_loss, not one of its terms', async () => {
    expect(files.filter((f) => f.status === 'completed').map((f) => f.format)).toEqual([
      'tensorboard',
      'jsonl',
    ]);
    const runs = await api.services.runs.list();
    expect(runs).toHaveLength(1);
    const run = await api.caller.runs.resolve({ ref: runs[0]!.id });
    expect(run.lossKey).toBe('total_loss');
    expect(run.lrKey).toBe('lr');
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(Number.isFinite(f.final.mean) && Number.isFinite(f.final.hi95)).toBe(true);
  });

  it('skips the side files (COCO results, last_checkpoint, an empty lock) without reading them', () => {
    const skipped = files.filter((f) => f.status === 'skipped').map((f) => f.path);
    expect(skipped.sort()).toEqual([
      'output/inference/coco_instances_results.json',
      'output/inference/fruit_val_coco_format.json',
      'output/inference/fruit_val_coco_format.json.lock',
      'output/last_checkpoint',
    ]);
  });
});

describe('a LLaMA-Factory predict folder: progress only, generated text, predict summaries', () => {
  const api = openTestApi();
  afterAll(() => api.close());

  it('reads the trainer log and the summaries; the generated predictions are not a log', async () => {
    const summary = await api.services.ingest.ingestFiles({
      paths: [`${OURS}llamafactory-predict-no-loss`],
    });
    const byName = new Map(summary.files.map((f) => [f.path.split('/').pop()!, f]));
    expect(byName.get('generated_predictions.jsonl')).toMatchObject({ status: 'skipped' });
    expect(byName.get('trainer_log.jsonl')).toMatchObject({ status: 'completed', format: 'jsonl' });
    const [run] = await api.services.runs.list();
    expect(run!.summary).toMatchObject({ 'predict_bleu-4': 92.21327412109375 });
    // No loss was logged (a predict run): the forecast says so instead of inventing one.
    await expect(api.caller.forecasts.get({ runId: run!.id })).rejects.toThrow(/no loss series/);
  });
});

describe('a YOLOv7 run folder: results.txt, opt.yaml, hyp.yaml and its TensorBoard scalars', () => {
  const api = openTestApi();
  afterAll(() => api.close());

  it('is one run, read from every file, its plan from the files, finished', async () => {
    const summary = await api.services.ingest.ingestFiles({
      paths: [`${OURS}yolov7-results-txt-opt-tfevents`],
    });
    expect(summary.files.map((f) => [f.path.split('/').pop(), f.status])).toEqual([
      ['events.out.tfevents.1663504868.96ddf11f2c8c.211.0', 'completed'],
      ['hyp.yaml', 'completed'],
      ['opt.yaml', 'completed'],
      ['results.txt', 'completed'],
    ]);
    const runs = await api.services.runs.list();
    expect(runs).toHaveLength(1);
    const run = await api.caller.runs.resolve({ ref: runs[0]!.id });
    expect(run).toMatchObject({
      lossKey: 'train/total_loss',
      lrKey: 'x/lr0',
      stepsPlanned: 55,
      status: 'finished',
    });
    expect(run.config).toMatchObject({ epochs: 55, linear_lr: false, lrf: 0.1 });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(Number.isFinite(f.final.mean) && Number.isFinite(f.final.hi95)).toBe(true);
  });
});
