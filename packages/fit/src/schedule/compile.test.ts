import { RuncastError } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { compileSchedule } from './compile';
import { inferSchedule } from './infer';
import { prepareSchedule } from './prepare';
import { resolveSchedule } from './resolve';

const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThan(1e-15 + 1e-12 * Math.abs(b));

describe('compileSchedule', () => {
  it('compiles warmup + cosine with 1-based steps (eta_k = peak k / W in warmup)', () => {
    const eta = compileSchedule({
      kind: 'cosine',
      peak: 1e-3,
      warmup: 100,
      total: 1100,
      final: 1e-4,
    });
    expect(eta.length).toBe(1101);
    expect(eta[0]).toBe(0);
    close(eta[1]!, 1e-5);
    close(eta[100]!, 1e-3);
    close(eta[101]!, 1e-3); // 0-based t = 100 is u = 0 of the decay
    close(eta[601]!, 1e-4 + 0.9e-3 * 0.5);
    close(eta[1100]!, 1e-4 + (0.9e-3 * (1 + Math.cos((Math.PI * 999) / 1000))) / 2);
  });

  it('compiles constant, linear, wsd (fraction and steps), step and inverse_sqrt', () => {
    expect(compileSchedule({ kind: 'constant', peak: 2, total: 5 })).toEqual(
      Float64Array.from([0, 2, 2, 2, 2, 2]),
    );
    const lin = compileSchedule({ kind: 'linear', peak: 1, total: 10, final: 0 });
    close(lin[6]!, 0.5);
    const wsd = compileSchedule({ kind: 'wsd', peak: 1, total: 100, decay: 0.2, final: 0 });
    expect(wsd[80]).toBe(1);
    close(wsd[81]!, 1);
    close(wsd[91]!, 0.5);
    expect(compileSchedule({ kind: 'wsd', peak: 1, total: 100, decay: 20, final: 0 })).toEqual(wsd);
    const sqrt = compileSchedule({
      kind: 'wsd',
      peak: 1,
      total: 100,
      decay: 0.2,
      shape: 'sqrt',
      final: 0,
    });
    close(sqrt[91]!, 1 - Math.sqrt(0.5));
    const step = compileSchedule({
      kind: 'step',
      peak: 1,
      total: 30,
      milestones: [10, 20],
      gamma: 0.5,
    });
    expect([step[10], step[11], step[21], step[30]]).toEqual([1, 0.5, 0.25, 0.25]);
    const inv = compileSchedule({ kind: 'inverse_sqrt', peak: 1, warmup: 4, total: 16 });
    close(inv[4]!, 1);
    close(inv[16]!, 0.5);
  });

  it('follows data/README.md for segments and table, holding the last LR', () => {
    const seg = compileSchedule(
      {
        kind: 'segments',
        segments: [
          { start: 0, end: 10, shape: 'linear', from: 0, to: 1 },
          { start: 10, end: 20, shape: 'exp', from: 1, to: 0.01 },
        ],
      },
      { steps: 25 },
    );
    close(seg[1]!, 0);
    close(seg[6]!, 0.5);
    close(seg[16]!, 0.1);
    close(seg[25]!, 0.01);
    const table = compileSchedule(
      {
        kind: 'table',
        values: [
          [0, 1],
          [10, 0.5],
        ],
      },
      { steps: 15 },
    );
    close(table[6]!, 0.75);
    close(table[15]!, 0.5);
  });

  it('rejects a missing horizon and negative LRs with INVALID_INPUT', () => {
    expect(() => compileSchedule({ kind: 'constant', peak: 1 })).toThrow(RuncastError);
    expect(() => compileSchedule({ kind: 'table', values: [[0, -1]] }, { steps: 3 })).toThrow(
      /invalid LR/,
    );
    expect(() => prepareSchedule(new Float64Array(5))).toThrow(/no positive LR/);
  });

  it('uses the logged LR for the observed part only when it disagrees with the spec', () => {
    const spec = { kind: 'constant' as const, peak: 1, total: 100 };
    expect(resolveSchedule({ spec, steps: 100, lr: [{ step: 0, value: 1 }] }).usedLoggedLr).toBe(
      false,
    );
    const r = resolveSchedule({
      spec,
      steps: 100,
      lr: [
        { step: 0, value: 1 },
        { step: 10, value: 0.5 },
      ],
    });
    expect(r.usedLoggedLr).toBe(true);
    close(r.eta[6]!, 0.75);
    expect(r.eta[50]).toBe(1);
  });
});

describe('inferSchedule', () => {
  const sample = (eta: Float64Array, every: number) =>
    Array.from({ length: Math.floor((eta.length - 1) / every) }, (_, i) => ({
      step: i * every,
      value: eta[i * every + 1]!,
    }));

  it('recovers warmup, kind and horizon of a fully logged WSD run', () => {
    const eta = compileSchedule({
      kind: 'wsd',
      peak: 1e-3,
      warmup: 300,
      total: 20000,
      decay: 0.2,
      final: 0,
    });
    const r = inferSchedule(sample(eta, 100));
    expect(r.spec.kind).toBe('wsd');
    expect(r.spec.peak).toBeCloseTo(1e-3, 12);
    expect(Math.abs(r.spec.warmup! - 300)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.spec.total! - 20000)).toBeLessThan(300);
    expect(r.spec.shape).toBe('linear');
  });

  it('says a constant LR so far is ambiguous (a WSD run before its cooldown)', () => {
    const eta = compileSchedule({ kind: 'wsd', peak: 1e-3, warmup: 300, total: 20000, decay: 0.2 });
    const r = inferSchedule(sample(eta, 100).filter((p) => p.step < 15000));
    expect(r.spec.kind).toBe('constant');
    expect(r.ambiguous).toMatch(/horizon and cooldown must be declared/);
  });

  it('recognises a step schedule and a cosine', () => {
    const step = compileSchedule({
      kind: 'step',
      peak: 1,
      total: 3000,
      milestones: [1000, 2000],
      gamma: 0.1,
    });
    const s = inferSchedule(sample(step, 50));
    expect(s.spec.kind).toBe('step');
    expect(s.spec.gamma).toBeCloseTo(0.1, 9);
    const cos = compileSchedule({ kind: 'cosine', peak: 1, total: 10000, final: 0.1 });
    const c = inferSchedule(sample(cos, 100));
    expect(c.spec.kind).toBe('cosine');
    expect(Math.abs(c.spec.total! - 10000)).toBeLessThan(200);
  });

  it('rejects too few or negative values', () => {
    expect(() => inferSchedule([{ step: 0, value: 1 }])).toThrow(/at least 2/);
    expect(() =>
      inferSchedule([
        { step: 0, value: 1 },
        { step: 1, value: -1 },
      ]),
    ).toThrow(/negative/);
  });
});

describe('inferSchedule on long logs', () => {
  it('stays fast on a 100k-point LR log', () => {
    const eta = compileSchedule({
      kind: 'cosine',
      peak: 1,
      warmup: 1000,
      total: 100_000,
      final: 0,
    });
    const log = Array.from({ length: 100_000 }, (_, i) => ({ step: i, value: eta[i + 1]! }));
    const t = performance.now();
    const r = inferSchedule(log);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.spec.kind).toBe('cosine');
  });
});
