import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

const CURVES = fileURLToPath(new URL('../../../../shared/data/curves/', import.meta.url));
const GROUP = 'mpl-25M';
const TARGET = 'mpl-25M-wsd_20000_24000';

interface Curve {
  name: string;
  points: [number, number, number][];
}

/** The group's real curves (data/curves JSON), read in the test: never stored in the repo. */
function readGroup(group: string): Curve[] {
  const out: Curve[] = [];
  for (const file of readdirSync(CURVES).sort()) {
    if (!file.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(CURVES, file), 'utf8')) as {
      group: string;
      points: [number, number, number][];
    };
    if (data.group === group) out.push({ name: file.replace(/\.json$/, ''), points: data.points });
  }
  return out;
}

/** Writes each curve as a JSONL log {step, loss, lr}: no declared schedule, like most logs. */
function writeLogs(dir: string, curves: Curve[]): void {
  mkdirSync(dir, { recursive: true });
  for (const c of curves) {
    const lines = c.points.map(([step, loss, lr]) => JSON.stringify({ step, loss, lr }));
    writeFileSync(join(dir, `${c.name}.jsonl`), `${lines.join('\n')}\n`);
  }
}

describe('group forecasts from ingested log files (no declared schedule, status unknown)', () => {
  const api = openTestApi();
  const curves = readGroup(GROUP);

  beforeAll(async () => {
    const logs = join(api.dir, 'logs');
    writeLogs(logs, curves);
    const summary = await api.services.ingest.ingestFiles({ paths: [logs], group: GROUP });
    expect(summary.status).toBe('completed');
  });
  afterAll(() => api.close());

  it('reads the planned horizon from the logged LR only when the decay shows it', async () => {
    const runs = await api.caller.runs.list({ group: GROUP });
    expect(runs).toHaveLength(curves.length);
    for (const run of runs) {
      // Finished when the ingest saw the last step reach the horizon the logged LR shows.
      expect(run.status).toBe(run.stepsPlannedSource === 'logged-lr' ? 'finished' : 'unknown');
      expect(run.statusSource).toBe(run.status === 'finished' ? 'planned-length' : null);
      expect(run.schedule).toBeNull();
    }
    const cosine = runs.filter((r) => r.name.includes('cosine'));
    expect(cosine.length).toBeGreaterThan(0);
    for (const run of cosine) {
      // A cosine decay seen to its floor: the horizon is the decay's end, just past the last log.
      expect(run.stepsPlannedSource).toBe('logged-lr');
      expect(run.stepsPlanned).toBeGreaterThanOrEqual(run.stepsDone!);
      expect(run.stepsPlanned).toBeLessThan(run.stepsDone! * 1.02);
      expect(run.lrDropped).toBe(true);
    }
    for (const run of runs.filter((r) => r.name.includes('constant'))) {
      // A constant LR says nothing about the horizon (a WSD before its cooldown looks the same).
      expect(run.stepsPlanned).toBeNull();
      expect(run.lrDropped).toBe(false);
    }
  });

  it('borrows the group shape for a WSD run cut before its cooldown, closer to the truth than single-run', async () => {
    const target = await api.caller.runs.resolve({ ref: TARGET });
    const truth = curves.find((c) => c.name === TARGET)!.points.at(-1)![1];
    const cut = Math.round(0.4 * target.stepsDone!);
    const group = await api.caller.forecasts.get({ runId: target.id, until: cut });
    const single = await api.caller.forecasts.get({ runId: target.id, until: cut, group: false });
    expect(group.model).toBe('mpl-group');
    expect(group.diagnostics.groupDonors).toBeGreaterThanOrEqual(2);
    expect(single.model).not.toBe('mpl-group');
    expect(single.diagnostics.groupDonors).toBe(0);
    expect(group.horizon).toBe(target.stepsDone);
    expect(Math.abs(group.final.mean - truth)).toBeLessThan(Math.abs(single.final.mean - truth));
  });

  it('does not lend a run marked running (its data would move under the shared fit)', async () => {
    const target = await api.caller.runs.resolve({ ref: TARGET });
    const cut = Math.round(0.4 * target.stepsDone!);
    const before = await api.caller.forecasts.get({ runId: target.id, until: cut });
    const donors = before.diagnostics.groupDonors as number;
    const lender = (await api.caller.runs.list({ group: GROUP })).find((r) =>
      r.name.includes('cosine'),
    )!;
    await api.caller.runs.update({ id: lender.id, status: 'running' });
    const after = await api.caller.forecasts.get({ runId: target.id, until: cut });
    expect(after.diagnostics.groupDonors).toBe(donors - 1);
    await api.caller.runs.update({ id: lender.id, status: 'unknown' });
  });

  it('should-stop --vs best compares with complete logs by their observed final loss', async () => {
    const constant = await api.caller.runs.resolve({ ref: 'mpl-25M-constant_24000' });
    const verdict = await api.caller.decisions.shouldStop({ runId: constant.id, vs: 'best' });
    const other = verdict.other as { best: { source: string; name: string } | null; runs: number };
    expect(other.runs).toBe(curves.length - 1);
    const complete = (await api.caller.runs.list({ group: GROUP })).filter(
      (r) => r.stepsPlanned !== null && r.stepsDone! >= 0.98 * r.stepsPlanned,
    );
    expect(complete.length).toBeGreaterThan(0);
    for (const run of complete) {
      const final = await api.services.decisions.finalOf(run.id, undefined);
      expect(final.source).toBe('observed');
      const last = curves.find((c) => c.name === run.name)!.points.at(-1)![1];
      expect(Math.abs(final.final.mean - last) / last).toBeLessThan(0.01);
    }
  });
});
