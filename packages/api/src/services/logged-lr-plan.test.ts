import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestApi } from '../../test/open-test-api';
import { createLoggedLrPlans, readLoggedLrPlan } from './logged-lr-plan';
import type { SeriesColumns } from './series-columns';

const CURVES = new URL('../../../../../shared/data/curves/', import.meta.url);

function readCurve(name: string): { points: [number, number, number][]; total: number } {
  const data = JSON.parse(readFileSync(fileURLToPath(new URL(`${name}.json`, CURVES)), 'utf8')) as {
    points: [number, number, number][];
    schedule: { total_steps: number };
  };
  return { points: data.points, total: data.schedule.total_steps };
}

/** The logged LR of the first `count` points as columns. */
function lrColumns(points: [number, number, number][], count = points.length): SeriesColumns {
  const used = points.slice(0, count);
  return {
    seriesId: 1,
    steps: Float64Array.from(used.map((p) => p[0])),
    values: Float64Array.from(used.map((p) => p[2])),
    wallTimes: new Float64Array(used.length),
    length: used.length,
    version: 1,
  };
}

describe('readLoggedLrPlan (real logged LRs)', () => {
  it('reads the horizon of a cosine decay seen to its floor', () => {
    const { points, total } = readCurve('mpl-25M-cosine_24000');
    const plan = readLoggedLrPlan(lrColumns(points));
    expect(plan.dropped).toBe(true);
    expect(plan.horizon).not.toBeNull();
    expect(Math.abs(plan.horizon! - total) / total).toBeLessThan(0.01);
  });

  it('gives no horizon for a constant LR or a WSD run before its cooldown', () => {
    const constant = readCurve('mpl-25M-constant_24000');
    expect(readLoggedLrPlan(lrColumns(constant.points))).toEqual({ horizon: null, dropped: false });
    const wsd = readCurve('mpl-25M-wsd_20000_24000');
    const beforeCooldown = wsd.points.findIndex((p) => p[0] >= 15_000);
    expect(readLoggedLrPlan(lrColumns(wsd.points, beforeCooldown))).toEqual({
      horizon: null,
      dropped: false,
    });
  });

  it('sees the drop of a cooldown cut short even when its horizon stays unsure', () => {
    // EPFL logs end at T - 100, 4 % above the floor: inferSchedule calls the end extrapolated.
    const { points } = readCurve('epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T12500');
    const plan = readLoggedLrPlan(lrColumns(points));
    expect(plan.dropped).toBe(true);
    expect(plan.horizon).toBeNull();
  });
});

describe('createLoggedLrPlans', () => {
  const api = openTestApi();
  afterAll(() => api.close());

  it('infers once per LR-series version, and again after new points', async () => {
    const { points } = readCurve('mpl-25M-cosine_24000');
    const push = (from: number, to: number) =>
      api.caller.ingest.push({
        run: 'cos',
        points: points.slice(from, to).map(([step, loss, lr]) => ({ step, metrics: { loss, lr } })),
      });
    await push(0, 100);
    const run = await api.caller.runs.resolve({ ref: 'cos' });
    const plans = createLoggedLrPlans(api.services.columns);
    const first = await plans.of({ runId: run.id, lrKey: 'lr' });
    expect(first).not.toBeNull();
    expect(first!.horizon).toBeNull();
    expect(await plans.of({ runId: run.id, lrKey: 'lr' })).toBe(first);
    expect(await plans.of({ runId: run.id, lrKey: 'lr', stamp: 'a' })).toBe(first);
    await push(100, points.length);
    // A stale stamp returns the remembered plan without reading; a new one reads the new data.
    expect(await plans.of({ runId: run.id, lrKey: 'lr', stamp: 'a' })).toBe(first);
    const grown = await plans.of({ runId: run.id, lrKey: 'lr', stamp: 'b' });
    expect(grown).not.toBe(first);
    expect(grown!.horizon).not.toBeNull();
    expect(await plans.of({ runId: run.id, lrKey: 'missing' })).toBeNull();
  });
});
