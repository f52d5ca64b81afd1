import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuncastError } from '@runcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, syntheticLoss } from './open-test-api';

/**
 * One plan resolution for every path (schedule-for-run.ts resolveRunSchedule), on real logs with
 * no logged LR: a modded-nanogpt record that ran its stated `step:N/6200` to the end, and an old
 * llm.c log (`s:N trl:X`) that states no length at all. Neither may fail for "planned length
 * unknown": the first is forecast under modded-nanogpt's default over the length it ran, the
 * second is taken to have ended at its last logged step - both said so, with a widened band.
 */
const LOGS = fileURLToPath(new URL('../../../../shared/fixtures/logs/', import.meta.url));
const MODDED = `${LOGS}stdout-modded-nanogpt/2024-10-10-muon-train-and-val`;
const LLMC = `${LOGS}stdout-llmc/2024-06-06-old-format-adamw`;
const TB_HF = `${LOGS}tensorboard/pytorch-hf-trainer-t5`;
const KERAS = fileURLToPath(
  new URL('../../ingest/fixtures/logs/stdout-keras-fit-verbose2', import.meta.url),
);
/** HF run_clm.py through W&B 0.16 (packages/ingest/fixtures/logs/SOURCES.md). */
const WANDB_HF = fileURLToPath(
  new URL(
    '../../ingest/fixtures/logs/wandb-hf-clm-epoch-series/wandb/run-20231122_003707-c0ox9krr/',
    import.meta.url,
  ),
);

type Assumption = { source: string; detail: string; widened: boolean; alternatives: number };
const assumptionOf = (d: Record<string, unknown>) => d.scheduleAssumption as Assumption;

describe('plan resolution of runs that log no LR', () => {
  const api = openTestApi();
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const summary = await api.services.ingest.ingestFiles({ paths: [MODDED, LLMC, KERAS, TB_HF] });
    expect(summary.status).toBe('completed');
    for (const run of await api.services.runs.list()) {
      ids[run.config['runcast/trainer'] as string] = run.id;
    }
  });
  afterAll(() => api.close());

  it('a finished run that reached its stated length: the trainer default over it, said so', async () => {
    const run = await api.caller.runs.resolve({ ref: ids['modded-nanogpt']! });
    expect(run).toMatchObject({
      status: 'finished',
      stepsPlanned: 6200,
      stepsPlannedSource: 'log-metadata',
      lrKey: null,
    });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(6200);
    expect(Number.isFinite(f.final.mean) && Number.isFinite(f.final.hi95)).toBe(true);
    const a = assumptionOf(f.diagnostics);
    expect(a.source).toBe('trainer-default');
    expect(a.detail).toMatch(
      /^no LR logged; the run reached its stated 6200 steps; modded-nanogpt/,
    );
    expect(a.widened).toBe(true);
    expect(f.diagnostics.schedule).toMatchObject({ kind: 'wsd', total: 6200 });

    // Backtest and should-stop resolve the same plan.
    const bt = await api.caller.forecasts.backtest({ runId: run.id, at: [0.5], calibrate: false });
    expect(bt.cuts[0]!.final).not.toBeNull();
    expect(bt.cuts[0]!.relError).toBeLessThan(0.1);
    const verdict = await api.caller.decisions.shouldStop({ runId: run.id, target: 3 });
    expect(verdict.verdict).toBe('undecided');
  });

  it('a log of unknown status that states no length: ended at its last logged step, said so', async () => {
    const run = await api.caller.runs.resolve({ ref: ids.llmc! });
    expect(run).toMatchObject({ status: 'unknown', stepsPlanned: null, lrKey: null });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(run.stepsDone);
    const a = assumptionOf(f.diagnostics);
    expect(a.source).toBe('trainer-default');
    expect(a.detail).toContain(
      `the logs state no planned length and no LR: the run is taken to have ended at its last logged step ${run.stepsDone}`,
    );
    expect(a.detail).toMatch(/llm\.c: cosine decay/);
    expect(a.widened).toBe(true);

    // The same run marked finished or stopped resolves the same way.
    for (const status of ['finished', 'stopped'] as const) {
      await api.services.db.runs.update({ id: run.id, patch: { status, statusSource: 'user' } });
      const again = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
      expect(again.horizon).toBe(run.stepsDone);
      expect(assumptionOf(again.diagnostics).detail).toBe(a.detail);
    }
    await api.services.db.runs.update({
      id: run.id,
      patch: { status: 'unknown', statusSource: null },
    });
  });

  it('Keras stdout: `Epoch e/E` is the plan in epochs; finished under its constant default', async () => {
    const run = await api.caller.runs.resolve({ ref: ids.keras! });
    expect(run).toMatchObject({
      status: 'finished',
      statusSource: 'planned-length',
      stepsPlanned: 100,
      stepsPlannedSource: 'log-metadata',
      stepsDone: 100,
      lossKey: 'loss',
    });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(100);
    expect(assumptionOf(f.diagnostics).detail).toMatch(
      /^no LR logged; the run reached its stated 100 epochs; keras: the optimizer's constant learning rate/,
    );
  });

  it('TensorBoard from HF Trainer: num_train_epochs (args text) x the steps per train/epoch', async () => {
    const run = await api.caller.runs.resolve({ ref: ids['hf-trainer']! });
    // trainer_state.json of the same run states max_steps 215337.
    expect(run).toMatchObject({ stepsPlanned: 215337, stepsPlannedSource: 'log-metadata' });
    expect(run.config).toMatchObject({ lr_scheduler_type: 'linear', max_steps: -1 });
  });

  it('a declared length without a schedule is a stated length too', async () => {
    await api.services.push.push({
      run: 'declared-length',
      status: 'running',
      config: { 'runcast/trainer': 'hf-trainer' },
      points: Array.from({ length: 40 }, (_, i) => ({
        step: 10 * (i + 1),
        metrics: { loss: syntheticLoss(10 * (i + 1)) },
      })),
    });
    const run = await api.caller.runs.resolve({ ref: 'declared-length' });
    await api.services.db.runs.update({
      id: run.id,
      patch: { stepsPlanned: 2000, stepsPlannedSource: 'declared' },
    });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(2000);
    expect(assumptionOf(f.diagnostics).detail).toMatch(/^hf-trainer default: linear decay/);
  });

  it('only a running run with no LR and no stated length has an unknown planned length', async () => {
    await api.services.push.push({
      run: 'open-ended',
      status: 'running',
      points: Array.from({ length: 40 }, (_, i) => ({
        step: 10 * (i + 1),
        metrics: { loss: syntheticLoss(10 * (i + 1)) },
      })),
    });
    const run = await api.caller.runs.resolve({ ref: 'open-ended' });
    const failure = await api.services.forecasts.get({ runId: run.id }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RuncastError);
    expect((failure as RuncastError).message).toMatch(
      /planned length is unknown: declare a schedule/,
    );
  });
});

describe('the plan a W&B run config states (real run folders)', () => {
  const api = openTestApi();
  afterAll(() => api.close());

  it('config.yaml ({value} layout): epochs read, not guessed into steps without an epoch series', async () => {
    // wandb 0.27: `epochs: {value: 10}`; its history has no epoch series to convert with. wandb
    // 0.17 (HF integration): `max_steps: {desc, value: -1}` is HF's "not set"; the run crashed
    // before logging a step.
    await api.services.ingest.ingestFiles({
      paths: [`${LOGS}wandb/online-0.27-small`, `${LOGS}wandb/online-0.17-hf-config-only`],
    });
    const runs = await api.services.runs.list();
    const small = runs.find((r) => r.config.epochs === 10)!;
    expect(small.config).toMatchObject({ learning_rate: 0.02 });
    expect(small).toMatchObject({ status: 'finished', stepsPlanned: null });
    const hf = runs.find((r) => r.config.num_train_epochs === 3)!;
    expect(hf.config).toMatchObject({
      max_steps: -1,
      lr_scheduler_type: 'cosine',
      'runcast/trainer': 'hf-trainer',
    });
    expect(hf).toMatchObject({ status: 'crashed', stepsPlanned: null });
    // The finished run's forecast still answers (its last step as the plan), said so.
    const f = await api.caller.forecasts.get({ runId: small.id, key: 'loss', calibrate: false });
    expect(Number.isFinite(f.final.mean)).toBe(true);
    expect(assumptionOf(f.diagnostics).detail).toMatch(
      /taken to have ended at its last logged step 7/,
    );
  });

  it('an HF run through W&B: num_train_epochs times the steps per epoch of its train/epoch series, finished and live', async () => {
    // Finished: config `num_train_epochs: {desc, value: 1.0}`, `max_steps: -1`; 73 history rows
    // whose train/epoch (rounded to 2 decimals) reaches 1.0 at step 73; an exit record.
    await api.services.ingest.ingestFiles({ paths: [WANDB_HF] });
    const done = (await api.services.runs.list()).find((r) => r.key === WANDB_HF.slice(0, -1))!;
    expect(done.config).toMatchObject({
      num_train_epochs: 1,
      max_steps: -1,
      lr_scheduler_type: 'linear',
      'runcast/trainer': 'hf-trainer',
    });
    expect(done).toMatchObject({
      status: 'finished',
      statusSource: 'log-metadata',
      stepsPlanned: 73,
      stepsPlannedSource: 'log-metadata',
    });
    // The same run's log as the trainer left it at step 34 (the .wandb cut at byte 60,000, its
    // last record incomplete): the plan is 73 already, from 34 / 0.47 and 33 / 0.45 (not 72.3).
    const live = join(api.dir, 'wandb', 'run-20231122_003707-c0ox9krr');
    mkdirSync(join(live, 'files'), { recursive: true });
    copyFileSync(join(WANDB_HF, 'files', 'config.yaml'), join(live, 'files', 'config.yaml'));
    const bytes = readFileSync(join(WANDB_HF, 'run-c0ox9krr.wandb'));
    writeFileSync(join(live, 'run-c0ox9krr.wandb'), bytes.subarray(0, 60_000));
    await api.services.ingest.ingestFiles({ paths: [live] });
    const run = await api.caller.runs.resolve({ ref: live });
    expect(run).toMatchObject({
      status: 'unknown',
      stepsDone: 34,
      stepsPlanned: 73,
      stepsPlannedSource: 'log-metadata',
      lrKey: 'train/learning_rate',
    });
    const f = await api.caller.forecasts.get({ runId: run.id, calibrate: false });
    expect(f.horizon).toBe(73);
    expect(f.diagnostics.schedule).toMatchObject({ kind: 'linear', total: 73 });
    expect(assumptionOf(f.diagnostics).detail).toMatch(/ending at the stated 73 steps/);
    // The finished run's last logged loss lies within the 95% band forecast at step 34.
    expect(f.final.lo95).toBeLessThan(3.2126);
    expect(f.final.hi95).toBeGreaterThan(3.2126);
  });
});
