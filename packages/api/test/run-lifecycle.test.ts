import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunStatus } from '@runcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

const CURVE = fileURLToPath(
  new URL('../../../../shared/data/curves/mpl-25M-cosine_24000.json', import.meta.url),
);
const MLFLOW = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/mlflow/sklearn-gd-mlflow2/mlruns/731041160035536017',
    import.meta.url,
  ),
);
const STALE_MS = 600;

/** A real cosine run's points as JSONL lines {step, loss, lr} (no declared schedule). */
function curveLines(): string[] {
  const data = JSON.parse(readFileSync(CURVE, 'utf8')) as { points: [number, number, number][] };
  return data.points.map(([step, loss, lr]) => `${JSON.stringify({ step, loss, lr })}\n`);
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('run status kept by the watcher (real files, real watcher)', () => {
  let api: ReturnType<typeof openTestApi>;
  beforeEach(() => {
    api = openTestApi();
  });
  afterEach(async () => {
    await api.services.ingest.closeAll();
    api.close();
  });

  async function statusOf(ref: string): Promise<RunStatus> {
    return (await api.caller.runs.resolve({ ref })).status;
  }

  it('unknown -> running while the file grows -> stopped when it stops short of its plan -> finished at its horizon', async () => {
    const lines = curveLines();
    const logs = join(api.dir, 'logs');
    mkdirSync(logs);
    const file = join(logs, 'cosine.jsonl');
    const third = Math.floor(lines.length / 3);
    writeFileSync(file, lines.slice(0, third).join(''));
    const watcher = api.services.ingest.watchPaths({ paths: [logs], staleAfterMs: STALE_MS });
    await watcher.ready;
    // Read on the initial scan, not seen growing: no claim.
    expect(await statusOf('cosine')).toBe('unknown');

    const grew = Date.now();
    appendFileSync(file, lines.slice(third, 2 * third).join(''));
    await waitFor(async () => (await statusOf('cosine')) === 'running', 'running');
    await waitFor(async () => (await statusOf('cosine')) === 'stopped', 'stopped');
    expect((await api.caller.runs.resolve({ ref: 'cosine' })).statusSource).toBe('watcher');
    expect(Date.now() - grew).toBeGreaterThanOrEqual(STALE_MS);

    appendFileSync(file, lines.slice(2 * third, lines.length - 1).join(''));
    await waitFor(async () => (await statusOf('cosine')) === 'running', 'running again');
    // The last point ends the cosine decay at its floor: the inferred horizon is reached.
    appendFileSync(file, lines[lines.length - 1]!);
    await waitFor(async () => (await statusOf('cosine')) === 'finished', 'finished');
    const run = await api.caller.runs.resolve({ ref: 'cosine' });
    expect(run.stepsPlannedSource).toBe('logged-lr');
    expect(run.statusSource).toBe('planned-length');
    // Finished stays finished: the stale rule only undoes 'running'.
    await new Promise((r) => setTimeout(r, STALE_MS + 200));
    expect(await statusOf('cosine')).toBe('finished');
    await watcher.close();
  });

  it('never overrides a status a plugin reported or a user set; closing hands running back', async () => {
    const lines = curveLines();
    const logs = join(api.dir, 'logs');
    mkdirSync(logs);
    // MLflow says RUNNING (status 1) in meta.yaml: an explicit status.
    const experiment = join(logs, 'mlruns', '731041160035536017');
    cpSync(MLFLOW, experiment, { recursive: true });
    const runDir = join(experiment, 'd460c9da22134faf9b1270121b413210');
    const meta = readFileSync(join(runDir, 'meta.yaml'), 'utf8');
    writeFileSync(join(runDir, 'meta.yaml'), meta.replace(/^status: \d+$/m, 'status: 1'));
    writeFileSync(join(logs, 'mine.jsonl'), lines.slice(0, 5).join(''));
    writeFileSync(join(logs, 'user.jsonl'), lines.slice(0, 5).join(''));

    const watcher = api.services.ingest.watchPaths({ paths: [logs], staleAfterMs: STALE_MS });
    await watcher.ready;
    expect(await statusOf('rogue-hound-260')).toBe('running');
    const user = await api.caller.runs.resolve({ ref: 'user' });
    await api.caller.runs.update({ id: user.id, status: 'crashed' });

    appendFileSync(join(runDir, 'metrics', 'avg_mse'), '1757467513300 1.1e+22 1\n');
    appendFileSync(join(logs, 'user.jsonl'), lines.slice(5, 10).join(''));
    appendFileSync(join(logs, 'mine.jsonl'), lines.slice(5, 10).join(''));
    await waitFor(async () => (await statusOf('mine')) === 'running', 'mine running');
    await waitFor(
      async () => (await api.caller.runs.resolve({ ref: 'user' })).stepsDone! > user.stepsDone!,
      'user points',
    );
    await waitFor(async () => (await statusOf('mine')) === 'stopped', 'mine stopped');
    // The plugin's RUNNING and the user's CRASHED outlive the stale time untouched.
    expect(await statusOf('rogue-hound-260')).toBe('running');
    expect(await statusOf('user')).toBe('crashed');

    appendFileSync(join(logs, 'mine.jsonl'), lines.slice(10, 12).join(''));
    await waitFor(async () => (await statusOf('mine')) === 'running', 'mine running again');
    await watcher.close();
    expect(await statusOf('mine')).toBe('unknown');
    expect(await statusOf('rogue-hound-260')).toBe('running');
  });
});
