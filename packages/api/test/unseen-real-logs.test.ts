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
