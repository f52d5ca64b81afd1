import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

/**
 * A forecast never fails on a valid curve (the fit ladder, packages/fit forecast-ladder.ts), on a
 * real log: Keras's TensorBoard scalars of a small regression model, whose loss falls to 0.0075.
 */
const KERAS = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/tensorboard/keras-tf2-tensor-scalars/',
    import.meta.url,
  ),
);
const KEY = 'evaluation_loss_vs_iterations';

describe('the fit ladder through the forecast service', () => {
  const api = openTestApi();
  beforeAll(async () => {
    const summary = await api.services.ingest.ingestFiles({ paths: [KERAS] });
    expect(summary.status).toBe('completed');
  });
  afterAll(() => api.close());

  it('answers with a finite band on a near-zero real loss, naming the laws it passed over', async () => {
    const runs = await api.caller.runs.list({});
    const run = runs.find((r) => r.series.some((s) => s.key === KEY))!;
    expect(run).toBeDefined();
    const series = run.series.find((s) => s.key === KEY)!;
    expect(series.lastValue!).toBeLessThan(0.01);
    const total = Math.round(series.lastStep! * 1.5);
    const f = await api.caller.forecasts.get({
      runId: run.id,
      key: KEY,
      schedule: { kind: 'constant', peak: 1e-3, total },
      calibrate: false,
    });
    const d = f.diagnostics as { ladder?: { model: string; failed: string }[]; key: string };
    expect(d.key).toBe(KEY);
    expect(d.ladder?.length).toBeGreaterThan(0);
    for (const step of d.ladder!) expect(step.failed).toMatch(/non-finite|negative|exceeds/);
    expect(['mtl', 'power', 'last']).toContain(f.model);
    for (const v of [f.final.lo95, f.final.lo80, f.final.mean, f.final.hi80, f.final.hi95])
      expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(f.final.lo80).toBeLessThanOrEqual(f.final.mean);
    expect(f.final.hi80).toBeGreaterThanOrEqual(f.final.mean);
  });

  it('refuses a series that goes negative with the run, the key and the step', async () => {
    await api.services.push.push({
      run: 'rl-run',
      schedule: { kind: 'constant', peak: 1e-3, total: 400 },
      points: [1, 2, 3, 4, 5, 6].map((i) => ({
        step: 50 * i,
        metrics: { loss: 3 / i, reward: 1 - i },
      })),
    });
    const run = await api.caller.runs.resolve({ ref: 'rl-run' });
    await expect(api.caller.forecasts.get({ runId: run.id, key: 'reward' })).rejects.toThrow(
      /series "reward" goes negative \(-5 at step 300\)/,
    );
    // Its loss is forecast as usual.
    const f = await api.caller.forecasts.get({ runId: run.id });
    expect(Number.isFinite(f.final.mean)).toBe(true);
  });
});
