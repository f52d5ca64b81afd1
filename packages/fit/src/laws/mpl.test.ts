import { describe, expect, it } from 'vitest';
import { computeAnnealingArea, computeAnnealingAreaAt } from '../schedule/annealing-area';
import { prepareSchedule } from '../schedule/prepare';
import { computeLossDropExact, designMpl, evaluateMpl } from './mpl';
import { designMtl, evaluateMtl } from './mtl';
import {
  buildReferenceCosine,
  buildReferenceTwoStage,
  buildReferenceWsd,
  MPL_400M,
} from './reference-schedules.test-helpers';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const [, , , B, C, beta, gamma] = MPL_400M as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

describe('schedule sums (methods_reference.py §1-2)', () => {
  // Absolute units (peak = 1 normalisation) so the values compare directly.
  const sched = prepareSchedule(buildReferenceWsd(), { peak: 1 });

  it('has the reference prefix sums and warmup', () => {
    expect(sched.warmup).toBe(500);
    expect(rel(sched.P[500]!, 0.07515)).toBeLessThan(1e-12);
    expect(rel(sched.P[8001]!, 2.325449865)).toBeLessThan(1e-9);
    expect(rel(sched.P[10000]!, 2.655015)).toBeLessThan(1e-9);
    expect(rel(sched.eta[8001]!, 2.99865e-4)).toBeLessThan(1e-12);
  });

  it('reproduces S2 (post-warmup) and its closed form', () => {
    const s2 = computeAnnealingArea(sched);
    const ref: Array<[number, number]> = [
      [8001, 1.35e-7],
      [8500, 1.4414296399e-2],
      [9000, 4.9724243462e-2],
      [9500, 9.7704873127e-2],
      [10000, 1.5336873794e-1],
    ];
    expect(s2[8000]).toBe(0);
    for (const [s, v] of ref) {
      expect(rel(s2[s]!, v)).toBeLessThan(1e-9);
      expect(rel(computeAnnealingAreaAt(sched, s), s2[s]!)).toBeLessThan(1e-12);
    }
  });

  it('reproduces the MTL predictions', () => {
    const d = designMtl(sched, [1000, 8000, 9000, 10000]);
    const out = new Float64Array(4);
    evaluateMtl(d, [2.5, 0.6, 0.45, 0.5], out);
    const ref = [3.6736507275, 2.9104387077, 2.8683509141, 2.8099683868];
    for (const [i, v] of ref.entries()) expect(rel(out[i]!, v)).toBeLessThan(1e-9);
  });
});

describe('MPL paper form (methods_reference.py §3)', () => {
  const sched = prepareSchedule(buildReferenceWsd(), { peak: 1 });
  const exact = designMpl(sched, [500, 4000, 8000, 8001, 8500, 9000, 9500, 10000], { near: 1e9 });
  const L = [
    4.3594955209, 2.9967014766, 2.8303502923, 2.8303210494, 2.79130881, 2.7520582062, 2.7156528142,
    2.6835221425,
  ];
  const LD: Array<[number, number]> = [
    [8001, 4.0507104613e-6],
    [8500, 2.8296285604e-2],
    [9000, 6.0053877952e-2],
    [9500, 9.1736044643e-2],
    [10000, 1.2163422209e-1],
  ];

  it('matches the loss and the decay term', () => {
    const out = new Float64Array(exact.n);
    evaluateMpl(exact, MPL_400M, out);
    for (const [i, v] of L.entries()) expect(rel(out[i]!, v)).toBeLessThan(1e-9);
    for (const [s, v] of LD)
      expect(rel(computeLossDropExact(sched, s, { B, C, beta, gamma }), v)).toBeLessThan(1e-9);
  });

  it('has the reference analytic gradient at step 9500', () => {
    const d = designMpl(sched, [9500], { near: 1e9 });
    const out = new Float64Array(1);
    const jac = new Float64Array(7);
    evaluateMpl(d, MPL_400M, out, jac);
    const ref = [
      1, 6.6132093724e-1, -4.1723554955e-1, -1.7526122575e-4, -3.7120336443e-3, -4.2953622766e-2,
      -6.5579805004e-2,
    ];
    for (const [i, v] of ref.entries()) expect(rel(jac[i]!, v)).toBeLessThan(1e-9);
  });

  it('is invariant to LR normalisation with the METHODS §7.1 parameter map', () => {
    const norm = prepareSchedule(buildReferenceWsd());
    const peak = 3e-4;
    const [L0, A, alpha] = MPL_400M as [number, number, number];
    const pNorm = [L0, A * peak ** -alpha, alpha, B * peak, C * peak ** (1 - gamma), beta, gamma];
    expect(rel(pNorm[1]!, 21.197484)).toBeLessThan(1e-7);
    const steps = [1000, 8500, 10000];
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    evaluateMpl(designMpl(sched, steps, { near: 1e9 }), MPL_400M, a);
    evaluateMpl(designMpl(norm, steps, { near: 1e9 }), pNorm, b);
    for (let i = 0; i < 3; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-12);
  });

  it('matches the two-stage closed form', () => {
    const two = prepareSchedule(buildReferenceTwoStage(), { peak: 1 });
    expect(two.drops.count).toBe(1);
    const ref: Array<[number, number]> = [
      [6001, 4.172670121522e-3],
      [6100, 7.728528727764e-2],
      [7000, 1.009648059466e-1],
      [10000, 1.059604791767e-1],
    ];
    for (const [s, v] of ref) {
      const closed = B * (3e-4 - 9e-5) * (1 - (1 + C * 9e-5 ** (1 - gamma) * (s - 6000)) ** -beta);
      expect(rel(closed, v)).toBeLessThan(1e-9);
      const d = designMpl(two, [s]);
      const out = new Float64Array(1);
      evaluateMpl(d, [0, 0, 1, B, C, beta, gamma], out);
      expect(rel(-out[0]!, v)).toBeLessThan(1e-9);
    }
  });

  it('keeps the blocked decay sum within 2e-3 of the exact one (and finer blocks closer)', () => {
    for (const eta of [buildReferenceWsd(), buildReferenceCosine()]) {
      const s = prepareSchedule(eta, { peak: 1 });
      const steps = [2000, 5000, 8500, 9000, 10000];
      const out = new Float64Array(steps.length);
      const d = designMpl(s, steps);
      evaluateMpl(d, [0, 0, 1, B, C, beta, gamma], out);
      const fine = designMpl(s, steps, { ratio: 0.1, near: 10 });
      const outFine = new Float64Array(steps.length);
      evaluateMpl(fine, [0, 0, 1, B, C, beta, gamma], outFine);
      for (const [i, st] of steps.entries()) {
        const ex = computeLossDropExact(s, st, { B, C, beta, gamma });
        if (ex > 1e-6) expect(rel(-out[i]!, ex)).toBeLessThan(2e-3);
        if (ex > 1e-6) expect(rel(-outFine[i]!, ex)).toBeLessThan(2e-4);
      }
      expect(d.termDelta.length / steps.length).toBeLessThan(30);
    }
  });
});
