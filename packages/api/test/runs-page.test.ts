import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, syntheticLoss } from './open-test-api';

let api: ReturnType<typeof openTestApi>;
beforeEach(() => {
  api = openTestApi();
});
afterEach(() => api.close());

async function pushRun(
  run: string,
  options: { steps: number; group?: string; status?: 'running' | 'finished' },
) {
  await api.caller.ingest.push({
    run,
    points: Array.from({ length: options.steps }, (_, i) => ({
      step: i * 10,
      metrics: { loss: syntheticLoss(i * 10), lr: 1e-3 },
    })),
    ...(options.group ? { group: options.group } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
  const { id } = await api.caller.runs.resolve({ ref: run });
  // config as a source reports it (push carries none yet)
  await api.services.db.runs.update({ id, patch: { config: { width: options.steps } } });
}

describe('runs.page', () => {
  it('pages through the store with cursors, sorted, with counts for the filters', async () => {
    for (let i = 0; i < 12; i++) {
      await pushRun(`run-${String(i).padStart(2, '0')}`, {
        steps: 5 + i,
        group: i % 2 ? 'odd' : 'even',
        status: i < 4 ? 'running' : 'finished',
      });
    }
    const first = await api.caller.runs.page({ sort: 'name', limit: 5 });
    expect(first.total).toBe(12);
    expect(first.runs.map((r) => r.name)).toEqual([
      'run-00',
      'run-01',
      'run-02',
      'run-03',
      'run-04',
    ]);
    expect(first.runs[0]?.series.find((s) => s.key === 'loss')?.points).toBe(5);
    const names: string[] = first.runs.map((r) => r.name);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await api.caller.runs.page({ sort: 'name', limit: 5, cursor });
      names.push(...page.runs.map((r) => r.name));
      cursor = page.nextCursor;
    }
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);
    const running = await api.caller.runs.page({ status: 'running', group: 'odd', limit: 50 });
    expect(running.runs.map((r) => r.name).sort()).toEqual(['run-01', 'run-03']);
    expect(running.counts.status).toMatchObject({ running: 2, finished: 4 });
    expect(running.counts.groups).toEqual([
      { name: 'even', runs: 2 },
      { name: 'odd', runs: 2 },
    ]);
    const byWidth = await api.caller.runs.page({ sort: 'config.width', dir: 'desc', limit: 1 });
    expect(byWidth.runs[0]?.name).toBe('run-11');
  });

  it('stays current as points arrive, runs change and go', async () => {
    await pushRun('a', { steps: 5 });
    await pushRun('b', { steps: 8 });
    const before = await api.caller.runs.page({ sort: 'steps', limit: 10 });
    expect(before.runs.map((r) => [r.name, r.stepsDone])).toEqual([
      ['b', 70],
      ['a', 40],
    ]);
    await pushRun('a', { steps: 20 });
    const after = await api.caller.runs.page({ sort: 'steps', limit: 10 });
    expect(after.runs.map((r) => [r.name, r.stepsDone])).toEqual([
      ['a', 190],
      ['b', 70],
    ]);
    const b = after.runs[1]!;
    await api.caller.runs.update({ id: b.id, name: 'renamed', status: 'stopped' });
    const renamed = await api.caller.runs.page({ search: 'RENAMED', limit: 10 });
    expect(renamed.runs.map((r) => [r.name, r.status])).toEqual([['renamed', 'stopped']]);
    await api.caller.runs.delete({ id: b.id });
    expect((await api.caller.runs.page({ limit: 10 })).runs.map((r) => r.name)).toEqual(['a']);
  });

  it('refuses a bad cursor or limit, naming the field', async () => {
    await pushRun('a', { steps: 5 });
    await expect(api.caller.runs.page({ limit: 10, cursor: 'zzz' })).rejects.toThrow(/cursor/);
    await expect(api.caller.runs.page({ limit: 100_000 })).rejects.toThrow(/limit|500/);
  });
});
