import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi } from './open-test-api';

/**
 * A planned length stated by the logs (runs.steps_planned from 'log-metadata') with and without a
 * logged LR: a real HF Trainer run (t5 summarisation, trainer_state.json of
 * ../shared/fixtures/logs/hf-trainer-state, 215,337 max_steps, HF's default linear decay) seen
 * to 40 % of its plan.
 */
const STATE = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/hf-trainer-state/t5-summarization-2025/trainer_state.json',
    import.meta.url,
  ),
);
const doc = JSON.parse(readFileSync(STATE, 'utf8')) as {
  max_steps: number;
  log_history: { step: number; loss?: number; learning_rate?: number }[];
};
const PLAN = doc.max_steps;
const seen = doc.log_history.filter((e) => e.loss !== undefined && e.step <= 0.4 * PLAN);

type Assumption = { source: string; detail: string; widened: boolean; alternatives: number };
const assumptionOf = (d: Record<string, unknown>) => d.scheduleAssumption as Assumption;

describe('forecasts under the planned length the logs state', () => {
  const api = openTestApi();
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    for (const [name, withLr] of [
      ['t5-no-lr', false],
      ['t5-with-lr', true],
    ] as const) {
      await api.services.push.push({
        run: name,
        status: 'running',
        points: seen.map((e) => ({
          step: e.step,
          metrics: (withLr
            ? { loss: e.loss!, learning_rate: e.learning_rate! }
            : { loss: e.loss! }) as Record<string, number>,
        })),
      });
      const run = await api.caller.runs.resolve({ ref: name });
      // What the ingest host stores for a trainer_state.json: its max_steps and the trainer.
      await api.services.db.runs.update({
        id: run.id,
        patch: {
          stepsPlanned: PLAN,
          stepsPlannedSource: 'log-metadata',
          config: { 'runcast/trainer': 'hf-trainer', max_steps: PLAN },
        },
      });
      ids[name] = run.id;
    }
  });
  afterAll(() => api.close());

  it('without a logged LR: HF Trainer’s default schedule, said so, and a band widened for it', async () => {
    const f = await api.caller.forecasts.get({ runId: ids['t5-no-lr']!, calibrate: false });
    expect(f.horizon).toBe(PLAN);
    const a = assumptionOf(f.diagnostics);
    expect(a).toMatchObject({ source: 'trainer-default', widened: true, alternatives: 2 });
    expect(a.detail).toMatch(/hf-trainer default: linear decay to 0 over 215337 steps/);
    expect(f.diagnostics.schedule).toMatchObject({ kind: 'linear', total: PLAN, final: 0 });

    // The same forecast under that schedule given explicitly: same mean, narrower band.
    const given = await api.caller.forecasts.get({
      runId: ids['t5-no-lr']!,
      calibrate: false,
      schedule: { kind: 'linear', peak: 5e-5, total: PLAN, final: 0 },
    });
    expect(assumptionOf(given.diagnostics)).toMatchObject({ source: 'declared', widened: false });
    expect(f.final.mean).toBeCloseTo(given.final.mean, 10);
    const width = (d: { lo80: number; hi80: number }) => Math.log(d.hi80 / d.lo80);
    expect(width(f.final)).toBeGreaterThan(width(given.final));
    expect(f.final.lo95).toBeLessThanOrEqual(given.final.lo95);
    expect(f.final.hi95).toBeGreaterThanOrEqual(given.final.hi95);
    // The band is the mixture's: it spans the alternatives' forecasts too.
    const mix = f.diagnostics.scheduleMixture as { alternatives: { finalMean: number }[] };
    for (const alt of mix.alternatives) {
      expect(f.final.lo95).toBeLessThan(alt.finalMean);
      expect(f.final.hi95).toBeGreaterThan(alt.finalMean);
    }
  });

  it('with a logged LR: the decay inferred from it, ending at the stated length', async () => {
    const f = await api.caller.forecasts.get({ runId: ids['t5-with-lr']!, calibrate: false });
    expect(f.horizon).toBe(PLAN);
    const a = assumptionOf(f.diagnostics);
    expect(a.source).toBe('inferred-from-lr');
    expect(a.detail).toMatch(
      /^linear \(linear\) inferred from the logged LR, ending at the stated 215337 steps/,
    );
    expect(f.diagnostics.schedule).toMatchObject({ kind: 'linear', total: PLAN });
    // A log file's run (status unknown) that has not reached its stated length: still forecast to
    // it, not treated as ended at its last logged LR.
    await api.services.db.runs.update({ id: ids['t5-with-lr']!, patch: { status: 'unknown' } });
    const unknown = await api.caller.forecasts.get({ runId: ids['t5-with-lr']!, calibrate: false });
    expect(unknown.horizon).toBe(PLAN);
    expect(assumptionOf(unknown.diagnostics).source).toBe('inferred-from-lr');
  });
});
