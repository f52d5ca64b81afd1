import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

const LLAMAFACTORY = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/generic-jsonl-csv/llamafactory-trainer-log',
    import.meta.url,
  ),
);

let api: ReturnType<typeof openTestApi>;
beforeEach(() => {
  api = openTestApi();
});
afterEach(() => api.close());

const points = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    step: from + i,
    metrics: { loss: 3 - (from + i) * 1e-3 },
  }));

describe('run lifecycle from the push API', () => {
  it('goes running -> finished with statusSource push, config merged, tags, summary', async () => {
    const first = await api.caller.ingest.push({
      project: 'llm',
      run: 'wsd-1',
      config: { batch_size: 512, lr: 3e-4 },
      tags: ['sweep'],
      points: points(0, 5),
    });
    let run = await api.caller.runs.byId({ id: first.runId });
    expect(run).toMatchObject({
      name: 'wsd-1',
      project: 'llm',
      status: 'running',
      statusSource: 'push',
      config: { batch_size: 512, lr: 3e-4 },
      tags: ['sweep'],
      stopVerdict: null,
    });
    const last = await api.caller.ingest.push({
      project: 'llm',
      run: 'wsd-1',
      status: 'finished',
      config: { lr: 1e-4 },
      summary: { eval_loss: 2.5 },
      points: points(5, 5),
    });
    expect(last.runId).toBe(first.runId);
    run = await api.caller.runs.byId({ id: first.runId });
    expect(run).toMatchObject({
      status: 'finished',
      statusSource: 'push',
      config: { batch_size: 512, lr: 1e-4 },
      summary: { eval_loss: 2.5 },
    });
    expect(run.series.find((s) => s.key === 'loss')?.points).toBe(10);
    // A late retried batch without a status does not reopen the finished run.
    await api.caller.ingest.push({ project: 'llm', run: 'wsd-1', points: points(3, 2) });
    run = await api.caller.runs.byId({ id: first.runId });
    expect(run.status).toBe('finished');
    expect(run.series.find((s) => s.key === 'loss')?.points).toBe(10);
    expect(await api.caller.runs.list()).toHaveLength(1);
  });

  it('records the verdict that stopped a run early; a restart under the name clears it', async () => {
    const verdict = {
      verdict: 'stop' as const,
      probability: 0.001,
      reason: 'P(final < 2.0) = 0.1%',
      step: 400,
      target: 2,
    };
    const { runId } = await api.caller.ingest.push({
      run: 'r',
      status: 'stopped',
      verdict,
      points: points(0, 3),
    });
    const run = await api.caller.runs.resolve({ ref: 'r' });
    expect(run).toMatchObject({ id: runId, status: 'stopped', stopVerdict: verdict });
    await api.caller.ingest.push({ run: 'r', status: 'running', points: points(3, 1) });
    expect(await api.caller.runs.byId({ id: runId })).toMatchObject({
      status: 'running',
      stopVerdict: null,
    });
    await api.caller.ingest.push({ run: 'r', status: 'crashed', points: [] });
    expect((await api.caller.runs.byId({ id: runId })).status).toBe('crashed');
  });

  it('refuses a status it does not know or a malformed verdict naming the field, storing nothing', async () => {
    await expect(
      api.caller.ingest.push({ run: 'r', status: 'paused' as never, points: points(0, 1) }),
    ).rejects.toThrow(/status/);
    await expect(
      api.caller.ingest.push({
        run: 'r',
        verdict: { verdict: 'maybe' } as never,
        points: points(0, 1),
      }),
    ).rejects.toThrow(/verdict\.verdict/);
    expect(await api.caller.runs.list()).toEqual([]);
  });

  it('updates a run ingested from files when a push names it, never duplicating it', async () => {
    const summary = await api.services.ingest.ingestFiles({ paths: [LLAMAFACTORY] });
    expect(summary.status).toBe('completed');
    const [ingested] = await api.caller.runs.list();
    expect(ingested).toBeDefined();
    const { runId } = await api.caller.ingest.push({
      project: ingested!.project,
      run: ingested!.name,
      status: 'finished',
      tags: ['from-push'],
      points: [],
    });
    expect(runId).toBe(ingested!.id);
    const runs = await api.caller.runs.list();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'finished',
      statusSource: 'push',
      tags: ['from-push'],
    });
  });
});
