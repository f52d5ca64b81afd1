import type { ScheduleSegment, ScheduleSpec } from '@runcast/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designMpl, evaluateMpl } from '../laws/mpl';
import { compileSchedule, specToSegments } from '../schedule/compile';
import { prepareSchedule } from '../schedule/prepare';
import { createRandom } from '../stats/seeded-random';
import { forecast } from './forecast';
import { fitGroupShape, type GroupShape } from './group-shape';

const PEAK = 3e-4;
/** MPL in peak-normalised units, near the paper's 100M fit. */
const TRUTH = [2.9, 0.55, 0.45, 0.13, 0.12, 0.6, 0.6];
const SHAPES = ['constant', 'linear', 'cosine', 'sqrt', 'exp'] as const;

/** A noisy MPL curve under `spec`, logged every `every` steps after warmup. */
function simulate(spec: ScheduleSpec, until: number, seed: number, every = 50) {
  const eta = compileSchedule(spec);
  const sched = prepareSchedule(eta);
  const steps: number[] = [];
  for (let s = Math.max(every, sched.warmup + every); s <= until; s += every) steps.push(s);
  const mean = new Float64Array(steps.length);
  evaluateMpl(designMpl(sched, steps), TRUTH, mean);
  const rng = createRandom(seed);
  return steps.map((step, i) => ({ step, value: mean[i]! * Math.exp(0.002 * rng.nextNormal()) }));
}

const arbTail = fc.record({
  shape: fc.constantFrom(...SHAPES),
  from: fc.double({ min: 0.2, max: 1.2, noNaN: true }),
  to: fc.double({ min: 0.01, max: 1, noNaN: true }),
});

const arbCase = fc.record({
  total: fc.integer({ min: 2000, max: 6000 }),
  warmupShare: fc.double({ min: 0, max: 0.1, noNaN: true }),
  planKind: fc.constantFrom('wsd', 'cosine', 'constant', 'linear'),
  planShape: fc.constantFrom(...SHAPES),
  planDecay: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
  observedShare: fc.double({ min: 0.25, max: 0.6, noNaN: true }),
  /** Where the what-if leaves the plan, as a share of the way from the last observation to the end. */
  splitShare: fc.double({ min: 0, max: 1, noNaN: true }),
  horizonFactor: fc.double({ min: 0.8, max: 1.5, noNaN: true }),
  tail: fc.array(arbTail, { minLength: 1, maxLength: 3 }),
  model: fc.constantFrom('mtl', 'mpl', 'group'),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

/** The plan's segments kept up to `split` (a constant segment is cut there), then `tail` to `total`. */
function buildWhatIf(
  plan: ScheduleSegment[],
  split: number,
  total: number,
  tail: Array<{ shape: ScheduleSegment['shape']; from: number; to: number }>,
): ScheduleSpec {
  const kept: ScheduleSegment[] = [];
  let at = 0;
  for (const s of plan) {
    if (s.end <= split) {
      kept.push(s);
      at = s.end;
    } else if (s.start < split && s.shape === 'constant') {
      kept.push({ ...s, end: split });
      at = split;
    }
  }
  const end = Math.max(total, at + tail.length);
  const segments = [...kept];
  tail.forEach((t, i) => {
    const a = at + Math.round(((end - at) * i) / tail.length);
    const b = at + Math.round(((end - at) * (i + 1)) / tail.length);
    if (b > a)
      segments.push({ start: a, end: b, shape: t.shape, from: PEAK * t.from, to: PEAK * t.to });
  });
  return { kind: 'segments', total: end, segments };
}

/** First 1-based step k > after whose LR differs between the two specs (independent of what-if.ts). */
function firstDifference(a: ScheduleSpec, b: ScheduleSpec, after: number): number {
  const ea = compileSchedule(a);
  const eb = compileSchedule(b);
  const n = Math.min(ea.length, eb.length);
  for (let k = after + 1; k < n; k++) if (ea[k] !== eb[k]) return k;
  return n;
}

describe('what-if joins the plan', () => {
  let shape: GroupShape | null = null;
  const groupShape = () => {
    // Finished synthetic siblings of the same model: constant, cosine and WSD.
    shape ??= fitGroupShape(
      [
        { kind: 'constant', peak: PEAK, warmup: 200, total: 5000 },
        { kind: 'cosine', peak: PEAK, warmup: 200, total: 5000, final: 3e-5 },
        { kind: 'wsd', peak: PEAK, warmup: 200, total: 5000, decay: 0.2, final: 3e-5 },
      ].map((schedule, i) => ({
        schedule: schedule as ScheduleSpec,
        points: simulate(schedule as ScheduleSpec, 5000, 100 + i),
      })),
    );
    return shape!;
  };

  it('for any plan and any what-if that agrees with it up to step S, the curves agree to 1e-9 before S and the delta band is zero there', () => {
    let compared = 0;
    let differedAfter = 0;
    fc.assert(
      fc.property(arbCase, (c) => {
        const warmup = Math.round(c.warmupShare * c.total);
        const plan: ScheduleSpec = {
          kind: c.planKind,
          peak: PEAK,
          warmup,
          total: c.total,
          final: 3e-5,
          ...(c.planKind === 'wsd' ? { decay: c.planDecay, shape: c.planShape } : {}),
        };
        const observed = Math.round(c.observedShare * c.total);
        const points = simulate(plan, observed, c.seed);
        const lastObserved = points[points.length - 1]!.step;
        const split = Math.round(lastObserved + c.splitShare * (c.total - lastObserved));
        const whatIf = buildWhatIf(
          specToSegments(plan, c.total),
          split,
          Math.round(c.total * c.horizonFactor),
          c.tail,
        );
        const f = forecast({
          points,
          schedule: plan,
          whatIf,
          ...(c.model === 'group'
            ? { group: { shape: groupShape() }, bootstrap: 20 }
            : { model: c.model as 'mtl' | 'mpl' }),
        });
        const w = f.whatIf!;
        const S = firstDifference(plan, whatIf, lastObserved);
        const planned = new Map(f.curve.map((p) => [p.step, p]));
        for (const p of w.curve) {
          if (p.step >= S) {
            if (Math.abs(p.delta!) > 1e-9) differedAfter++;
            continue;
          }
          const q = planned.get(p.step);
          if (!q) continue;
          compared++;
          for (const key of ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const) {
            expect(Math.abs(p[key] - q[key])).toBeLessThanOrEqual(1e-9);
          }
          expect(Math.abs(p.delta!)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(p.deltaLo80!)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(p.deltaHi80!)).toBeLessThanOrEqual(1e-9);
        }
        // The reported divergence step is the first step whose LR differs (null: never).
        if (S < Math.min(compileSchedule(plan).length, compileSchedule(whatIf).length)) {
          expect(w.divergesAt).toBe(S);
        }
      }),
      { seed: 20261204, numRuns: 40 },
    );
    // Not vacuous: many points were compared, and after S the what-if does move away from the plan.
    expect(compared).toBeGreaterThan(40 * 20);
    expect(differedAfter).toBeGreaterThan(40 * 5);
  }, 120_000);
});
