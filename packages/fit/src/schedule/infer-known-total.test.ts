import { describe, expect, it } from 'vitest';
import { loadDevCurve } from '../forecast/dev-curve.test-helpers';
import { segmentLr } from './compile';
import { inferSchedule } from './infer';
import { chooseTrainerSchedules } from './trainer-defaults';

describe('inferSchedule with a stated total', () => {
  it('fits a partly seen cosine decay to end at the stated length', () => {
    // A real cosine run's logged LR, seen to 30 % of its 24,000 steps.
    const run = loadDevCurve('mpl-400M-cosine_24000');
    const lr = run.lr.filter((p) => p.step <= 7200);
    const known = inferSchedule(lr, { total: 24000 });
    expect(known.spec).toMatchObject({ kind: 'cosine', total: 24000 });
    expect(known.ambiguous).toBeNull();
    // Without it the end is extrapolated (and said to be).
    expect(inferSchedule(lr).ambiguous).toMatch(/extrapolated/);
  });

  it('keeps a constant LR constant to the stated end, with a cooldown still to come as the alternative', () => {
    const run = loadDevCurve('mpl-400M-constant_24000');
    const lr = run.lr.filter((p) => p.step <= 12000);
    const r = inferSchedule(lr, { total: 24000 });
    expect(r.spec).toMatchObject({ kind: 'constant', total: 24000 });
    expect(r.alternatives).toEqual([
      expect.objectContaining({ kind: 'wsd', total: 24000, final: 0, decay: 4800 }),
    ]);
  });
});

describe('trainer default schedules', () => {
  it('HF Trainer: linear to 0 without warmup unless its config says otherwise', () => {
    const d = chooseTrainerSchedules({ trainer: 'hf-trainer', total: 1000 });
    expect(d.primary).toEqual({ kind: 'linear', peak: 5e-5, total: 1000, final: 0 });
    expect(d.alternatives.map((a) => a.kind)).toEqual(['cosine', 'constant']);
    const stated = chooseTrainerSchedules({
      trainer: 'llama-factory',
      total: 1000,
      config: { lr_scheduler_type: 'cosine', warmup_ratio: 0.1, learning_rate: 1e-4 },
    });
    expect(stated).toMatchObject({
      primary: { kind: 'cosine', peak: 1e-4, warmup: 100, total: 1000, final: 0 },
      alternatives: [],
      stated: true,
    });
  });

  it('YOLOv5 before v6 / YOLOv7: the one-cycle cosine unless linear_lr; hyp nested in opt.yaml', () => {
    const v7 = chooseTrainerSchedules({
      trainer: 'ultralytics',
      total: 55,
      config: { epochs: 55, linear_lr: false, lr0: 0.01, lrf: 0.1, warmup_epochs: 3.0 },
    });
    expect(v7).toMatchObject({
      primary: { kind: 'cosine', peak: 0.01, final: 0.001, total: 55, warmup: 3 },
      stated: true,
    });
    const v5 = chooseTrainerSchedules({
      trainer: 'ultralytics',
      total: 150,
      config: { epochs: 150, cos_lr: false, hyp: { lr0: 0.02, lrf: 0.01, warmup_epochs: 2 } },
    });
    expect(v5.primary).toMatchObject({ kind: 'linear', peak: 0.02, final: 0.0002, warmup: 2 });
    expect(
      chooseTrainerSchedules({ trainer: 'ultralytics', total: 10, config: { linear_lr: true } })
        .primary.kind,
    ).toBe('linear');
  });

  it('torchtitan: linear warmup then linear decay to 0; llm.c: the scheduler its settings state', () => {
    const t = chooseTrainerSchedules({
      trainer: 'torchtitan',
      total: 3000,
      config: { warmup_steps: 600 },
    });
    expect(t.primary).toEqual({ kind: 'linear', peak: 8e-4, total: 3000, final: 0, warmup: 600 });
    expect(t.stated).toBe(false);
    const llmc = chooseTrainerSchedules({
      trainer: 'llmc',
      total: 19560,
      config: { lr_scheduler: 'cosine', learning_rate: 6e-4, warmup_iterations: 700 },
    });
    expect(llmc).toMatchObject({
      primary: { kind: 'cosine', peak: 6e-4, total: 19560, warmup: 700, final: 0 },
      alternatives: [],
      stated: true,
    });
    // Without the settings table: cosine assumed, constant and linear the alternatives.
    expect(chooseTrainerSchedules({ trainer: 'llmc', total: 1000 }).stated).toBe(false);
  });

  it('Ultralytics: lr0 to lr0 x lrf linearly over the epochs; Lightning: constant', () => {
    const y = chooseTrainerSchedules({
      trainer: 'ultralytics',
      total: 150,
      config: { lr0: 0.01, lrf: 0.01, cos_lr: false },
    });
    expect(y.primary).toMatchObject({
      kind: 'linear',
      peak: 0.01,
      final: 0.0001,
      total: 150,
      warmup: 3,
    });
    expect(y.stated).toBe(true);
    expect(chooseTrainerSchedules({ trainer: 'lightning', total: 500 }).primary.kind).toBe(
      'constant',
    );
    const keras = chooseTrainerSchedules({ trainer: 'keras', total: 100 });
    expect(keras.primary).toEqual({ kind: 'constant', peak: 1e-3, total: 100 });
    expect(keras.detail).toMatch(/^keras: the optimizer's constant learning rate/);
    const nano = chooseTrainerSchedules({ trainer: 'nanogpt', total: 5000 }).primary;
    expect(nano).toMatchObject({ kind: 'cosine', warmup: 500, peak: 6e-4 });
    expect(nano.final).toBeCloseTo(6e-5, 12);
    expect(
      chooseTrainerSchedules({
        trainer: 'modded-nanogpt',
        total: 6200,
        config: { warmdown_iters: 1800 },
      }).primary,
    ).toMatchObject({ kind: 'wsd', decay: 1800 / 6200 });
  });
});

describe('nanoGPT: the schedule its config echo states', () => {
  // karpathy/nanoGPT train.py get_lr(it), written from its source.
  const getLr = (it: number, c: { lr: number; warmup: number; decay: number; min: number }) => {
    if (it < c.warmup) return (c.lr * (it + 1)) / (c.warmup + 1);
    if (it > c.decay) return c.min;
    const ratio = (it - c.warmup) / (c.decay - c.warmup);
    return c.min + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (c.lr - c.min);
  };

  it('learning_rate, warmup_iters, lr_decay_iters, min_lr: get_lr exactly, past the run length too', () => {
    // The real CPU run of ../shared/fixtures/logs/stdout-nanogpt: max_iters 300, lr_decay_iters 2000.
    const config = { learning_rate: 1e-3, warmup_iters: 100, lr_decay_iters: 2000, min_lr: 1e-4 };
    const d = chooseTrainerSchedules({ trainer: 'nanogpt', total: 300, config });
    expect(d).toMatchObject({ stated: true, alternatives: [] });
    expect(d.detail).toMatch(/lr_decay_iters 2000 \(beyond the run's 300 steps\)/);
    const segments = d.primary.segments!;
    const lrAt = (t: number) => {
      const s = segments.find((x) => t >= x.start && t < x.end);
      return s ? segmentLr(s, t) : segments.at(-1)!.to!;
    };
    const c = { lr: 1e-3, warmup: 100, decay: 2000, min: 1e-4 };
    for (const t of [0, 1, 50, 99, 100, 101, 299, 1000, 1999, 2500]) {
      expect(lrAt(t)).toBeCloseTo(getLr(t, c), 12);
    }
  });

  it('decay_lr False: the constant learning_rate; nothing stated: cosine to the run length', () => {
    const off = chooseTrainerSchedules({
      trainer: 'nanogpt',
      total: 300,
      config: { decay_lr: false, learning_rate: 1e-3 },
    });
    expect(off).toMatchObject({ stated: true, primary: { kind: 'constant', peak: 1e-3 } });
    expect(chooseTrainerSchedules({ trainer: 'nanogpt', total: 300 })).toMatchObject({
      stated: false,
      primary: { kind: 'cosine', total: 300 },
    });
  });
});
