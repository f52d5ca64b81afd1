import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '@runcast/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, syntheticLoss } from './open-test-api';

/** LLaMA-Factory's trainer_log.jsonl shape: current_steps of total_steps, a linear LR decay. */
function trainerLog(until: number, total: number): string {
  const lines: string[] = [];
  for (let s = 10; s <= until; s += 10) {
    const lr = 1e-3 * (1 - s / total);
    lines.push(
      JSON.stringify({ current_steps: s, total_steps: total, loss: syntheticLoss(s), lr }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('a run that reached the length its logs state', () => {
  let api: ReturnType<typeof openTestApi>;
  beforeEach(() => {
    api = openTestApi();
  });
  afterEach(() => api.close());

  it('is finished after a one-shot ingest, and should-stop says so instead of a verdict', async () => {
    // Logged every 10 steps, ending at 995 of 1000: within one logging interval of the plan.
    const done = join(api.dir, 'done');
    const cut = join(api.dir, 'cut');
    for (const d of [done, cut]) mkdirSync(d);
    writeFileSync(join(done, 'trainer_log.jsonl'), trainerLog(995, 1000));
    writeFileSync(join(cut, 'trainer_log.jsonl'), trainerLog(400, 1000));
    await api.services.ingest.ingestFiles({ paths: [done, cut] });

    const finished = await api.caller.runs.resolve({ ref: 'done' });
    expect(finished).toMatchObject({
      status: 'finished',
      statusSource: 'planned-length',
      stepsPlanned: 1000,
      stepsPlannedSource: 'log-metadata',
    });
    const partial = await api.caller.runs.resolve({ ref: 'cut' });
    expect(partial).toMatchObject({ status: 'unknown', stepsPlanned: 1000 });

    // A target the run will never reach would be 'stop' for a run still training.
    const verdict = await api.caller.decisions.shouldStop({ runId: finished.id, target: 0.5 });
    expect(verdict.verdict).toBe('undecided');
    expect(verdict.reason).toMatch(/is finished .*only for running runs/);
    const live = await api.caller.decisions.shouldStop({ runId: partial.id, target: 0.5 });
    expect(live.verdict).toBe('stop');
  });

  it('is finished within one logging interval of the plan, not two', async () => {
    // Logged every 10 steps. Ending at 990 of 1000, the next log point would be at the end:
    // finished. Ending at 980, a log point at 990 could still come: not finished.
    const at990 = join(api.dir, 'at990');
    const at980 = join(api.dir, 'at980');
    for (const d of [at990, at980]) mkdirSync(d);
    writeFileSync(join(at990, 'trainer_log.jsonl'), trainerLog(990, 1000));
    writeFileSync(join(at980, 'trainer_log.jsonl'), trainerLog(980, 1000));
    await api.services.ingest.ingestFiles({ paths: [at990, at980] });
    expect(await api.caller.runs.resolve({ ref: 'at990' })).toMatchObject({
      status: 'finished',
      statusSource: 'planned-length',
      stepsDone: 990,
    });
    expect(await api.caller.runs.resolve({ ref: 'at980' })).toMatchObject({
      status: 'unknown',
      stepsDone: 980,
    });
  });

  it('gives a verdict to a running run only: stopped and crashed runs get none, whatever the source', async () => {
    const dir = join(api.dir, 'cut');
    mkdirSync(dir);
    writeFileSync(join(dir, 'trainer_log.jsonl'), trainerLog(400, 1000));
    await api.services.ingest.ingestFiles({ paths: [dir] });
    const run = await api.caller.runs.resolve({ ref: 'cut' });
    const verdicts: Record<string, { verdict: string; reason: string }> = {};
    for (const status of ['running', 'stopped', 'crashed', 'finished', 'unknown'] as const) {
      const store = openSqliteStore({ path: api.dbPath });
      try {
        await store.runs.update({ id: run.id, patch: { status, statusSource: 'user' } });
      } finally {
        await store.close();
      }
      const v = await api.caller.decisions.shouldStop({ runId: run.id, target: 0.5 });
      verdicts[status] = { verdict: v.verdict, reason: v.reason };
    }
    // Unreachable target: a run still training (or of unknown state) is told to stop.
    expect(verdicts.running!.verdict).toBe('stop');
    expect(verdicts.unknown!.verdict).toBe('stop');
    for (const status of ['stopped', 'crashed', 'finished']) {
      expect(verdicts[status]!.verdict).toBe('undecided');
      expect(verdicts[status]!.reason).toBe(
        `run cut is ${status} (user): stop verdicts are only for running runs`,
      );
    }
  });

  it("reads a killed watcher's running mark as stopped once the run has been quiet too long", async () => {
    const dir = join(api.dir, 'quiet');
    mkdirSync(dir);
    writeFileSync(join(dir, 'trainer_log.jsonl'), trainerLog(300, 1000));
    await api.services.ingest.ingestFiles({ paths: [dir] });
    const run = await api.caller.runs.resolve({ ref: 'quiet' });
    // What a watcher killed mid-run leaves behind: running, from the watcher, last touched long ago.
    const store = openSqliteStore({ path: api.dbPath });
    const db = store.handle;
    try {
      await store.runs.update({
        id: run.id,
        patch: { status: 'running', statusSource: 'watcher' },
      });
      expect((await api.caller.runs.resolve({ ref: 'quiet' })).status).toBe('running');
      const hourAgo = Date.now() - 60 * 60_000;
      db.sqlite.prepare('UPDATE runs SET updated_at = ? WHERE id = ?').run(hourAgo, run.id);
      db.sqlite.prepare('UPDATE series SET updated_at = ? WHERE run_id = ?').run(hourAgo, run.id);
    } finally {
      await store.close();
    }
    const shown = await api.caller.runs.resolve({ ref: 'quiet' });
    expect(shown).toMatchObject({ status: 'stopped', statusSource: 'watcher' });
  });
});
