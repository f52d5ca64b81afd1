import type { ScheduleSegment, ScheduleSpec } from '@runcast/core';

/**
 * The LR schedule a trainer uses when its logs state the planned length but no LR: its documented
 * default (or what its logged config states), plus the plausible alternatives a user of that
 * trainer often switches to. forecastUnderAssumedSchedules (mix-schedules.ts) forecasts under each
 * and widens the band by mixing them. Sources, read in the tools' public code:
 * - HF Trainer (transformers TrainingArguments): lr_scheduler_type "linear", warmup_steps 0,
 *   warmup_ratio 0, learning_rate 5e-5: linear decay from the peak to 0 over max_steps.
 * - LLaMA-Factory: its configs state lr_scheduler_type / warmup_ratio (they are HF arguments);
 *   absent, HF's default.
 * - Lightning: the optimizer's constant LR unless a scheduler is configured (it would be logged by
 *   LearningRateMonitor).
 * - Keras (model.fit): the optimizer's constant learning_rate (Adam's 0.001) unless a callback
 *   changes it (ReduceLROnPlateau and LearningRateScheduler put `lr` in the printed metrics).
 * - Ultralytics (ultralytics/engine/trainer.py _setup_scheduler): lf(x) = max(1 - x / epochs, 0) *
 *   (1 - lrf) + lrf, linear from lr0 to lr0 * lrf per epoch (lrf 0.01, lr0 0.01, warmup_epochs 3);
 *   cos_lr: True gives the cosine one-cycle from 1 to lrf instead. YOLOv5 before v6.1 and YOLOv7
 *   (train.py: one_cycle unless opt.linear_lr) default to that cosine one-cycle.
 * - nanoGPT (karpathy/nanoGPT train.py get_lr): linear warmup over warmup_iters (2000) then cosine
 *   decay to min_lr = learning_rate / 10 at lr_decay_iters (= max_iters in its configs).
 * - llm.c (train_gpt2.cu, llmc/schedulers.h): cosine from the peak after warmup_iterations to
 *   peak * final_learning_rate_frac (its GPT-2 scripts pass -q 0.0; the binary's default 1.0 means
 *   a constant LR, kept as the alternative); its stdout's settings table states the scheduler
 *   (cosine, linear, constant, wsd) and the fraction.
 * - torchtitan (torchtitan/components/lr_scheduler.py): linear warmup over warmup_steps (its log
 *   states `total steps N (warmup W)`), then with decay_ratio unset a linear decay to lr_min 0
 *   over the rest; the learning rate is not printed.
 * - modded-nanogpt (train_gpt.py get_lr, printed at the top of its logs): warmup, constant, then a
 *   linear cooldown to 0 over the last warmdown_iters (1800 of 6200 in 2024) or cooldown_frac of
 *   the run (0.4-0.55 in later records).
 */
export type AssumedSchedules = {
  primary: ScheduleSpec;
  alternatives: ScheduleSpec[];
  /** What was assumed, in words, for the diagnostics and the CLI. */
  detail: string;
  /** True when the trainer's logged config states the schedule (no alternatives then). */
  stated: boolean;
};

type Config = Record<string, unknown>;

function num(config: Config, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = config[k];
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}

function str(config: Config, key: string): string | undefined {
  const v = config[key];
  return typeof v === 'string' ? v : undefined;
}

/** Peak LR from the config, else the trainer's default, else a nominal 1e-3 (the laws' LR unit). */
function peakOf(config: Config, fallback: number): number {
  const p = num(config, 'learning_rate', 'lr', 'lr0', 'max_lr');
  return p !== undefined && p > 0 ? p : fallback;
}

function warmupOf(config: Config, total: number): number {
  const steps = num(config, 'warmup_steps', 'warmup_iters', 'warmup_iterations');
  if (steps !== undefined && steps > 0) return Math.min(Math.round(steps), total - 1);
  const ratio = num(config, 'warmup_ratio');
  return ratio !== undefined && ratio > 0 ? Math.min(Math.round(ratio * total), total - 1) : 0;
}

const linear = (peak: number, total: number, warmup: number, final = 0): ScheduleSpec => ({
  kind: 'linear',
  peak,
  total,
  final,
  ...(warmup > 0 ? { warmup } : {}),
});
const cosine = (peak: number, total: number, warmup: number, final = 0): ScheduleSpec => ({
  kind: 'cosine',
  peak,
  total,
  final,
  ...(warmup > 0 ? { warmup } : {}),
});
const constant = (peak: number, total: number, warmup: number): ScheduleSpec => ({
  kind: 'constant',
  peak,
  total,
  ...(warmup > 0 ? { warmup } : {}),
});
const wsd = (peak: number, total: number, warmup: number, decay: number): ScheduleSpec => ({
  kind: 'wsd',
  peak,
  total,
  final: 0,
  decay,
  shape: 'linear',
  ...(warmup > 0 ? { warmup } : {}),
});

/**
 * nanoGPT's get_lr() as segments: lr * (t + 1) / (W + 1) for t < W, then cosine from the peak to
 * min_lr over [W, D), min_lr after (data/README.md segment semantics). The segments may end past
 * the run's length (its lr_decay_iters is not its max_iters): the forecast horizon cuts them.
 */
function nanogptSchedule(o: { peak: number; warmup: number; decay: number; minLr: number }) {
  const segments: ScheduleSegment[] = [];
  if (o.warmup > 0) {
    segments.push({
      start: 0,
      end: o.warmup,
      shape: 'linear',
      from: o.peak / (o.warmup + 1),
      to: o.peak,
    });
  }
  segments.push({ start: o.warmup, end: o.decay, shape: 'cosine', from: o.peak, to: o.minLr });
  return { kind: 'segments', segments } satisfies ScheduleSpec;
}

/** HF's scheduler names (transformers SchedulerType) as a spec, or null for others. */
function hfScheduler(name: string, peak: number, total: number, warmup: number) {
  if (name === 'linear') return linear(peak, total, warmup);
  if (name === 'cosine') return cosine(peak, total, warmup);
  if (name === 'constant' || name === 'constant_with_warmup') return constant(peak, total, warmup);
  return null;
}

/** The assumed schedules of a run of `trainer` with `total` planned steps and no logged LR. */
export function chooseTrainerSchedules(options: {
  trainer: string | null;
  total: number;
  config?: Config;
}): AssumedSchedules {
  const { total } = options;
  const config = options.config ?? {};
  const trainer = options.trainer ?? 'unknown';
  switch (trainer) {
    case 'hf-trainer':
    case 'llama-factory': {
      const peak = peakOf(config, 5e-5);
      const warmup = warmupOf(config, total);
      const name = str(config, 'lr_scheduler_type');
      const stated = name ? hfScheduler(name, peak, total, warmup) : null;
      if (stated)
        return {
          primary: stated,
          alternatives: [],
          detail: `${trainer} config states lr_scheduler_type ${name} over ${total} steps`,
          stated: true,
        };
      return {
        primary: linear(peak, total, warmup),
        alternatives: [cosine(peak, total, warmup), constant(peak, total, warmup)],
        detail: `${trainer} default: linear decay to 0 over ${total} steps${warmup ? ` after ${warmup} warmup steps` : ', no warmup'} (alternatives: cosine, constant)`,
        stated: false,
      };
    }
    case 'ultralytics': {
      // YOLOv5 opt.yaml nests the hyperparameters under `hyp:`; the top level wins.
      const hyp = config.hyp;
      const settings =
        typeof hyp === 'object' && hyp !== null && !Array.isArray(hyp)
          ? { ...(hyp as Config), ...config }
          : config;
      const peak = peakOf(settings, 0.01);
      const lrf = num(settings, 'lrf') ?? 0.01;
      const warmup = Math.min(Math.round(num(settings, 'warmup_epochs') ?? 3), total - 1);
      const flag = (v: unknown) => v === true || v === 'True' || v === 'true';
      // YOLOv5 before v6.1 and YOLOv7 (opt.yaml `linear_lr`): the one-cycle cosine unless
      // --linear-lr; later YOLOv5 and Ultralytics 8 (`cos_lr`): linear unless --cos-lr.
      const cos =
        flag(config.cos_lr) ||
        (config.cos_lr === undefined && config.linear_lr !== undefined && !flag(config.linear_lr));
      const main = cos
        ? cosine(peak, total, warmup, peak * lrf)
        : linear(peak, total, warmup, peak * lrf);
      const stated = config.cos_lr !== undefined || config.linear_lr !== undefined;
      return {
        primary: main,
        alternatives: stated
          ? []
          : [cosine(peak, total, warmup, peak * lrf), constant(peak, total, warmup)],
        detail: `ultralytics ${stated ? (config.cos_lr !== undefined ? `cos_lr ${String(config.cos_lr)}` : `linear_lr ${String(config.linear_lr)}`) : 'default'}: ${cos ? 'cosine' : 'linear'} from lr0 to lr0 x lrf (${lrf}) over ${total} epochs, ${warmup} warmup epochs`,
        stated,
      };
    }
    case 'nanogpt': {
      const peak = peakOf(config, 6e-4);
      const minLr = num(config, 'min_lr') ?? peak / 10;
      const decayIters = num(config, 'lr_decay_iters');
      const warmupIters = num(config, 'warmup_iters');
      // The config echo states the whole schedule: get_lr() exactly, whatever the run's length.
      if (config.decay_lr === false) {
        return {
          primary: constant(peak, total, 0),
          alternatives: [],
          detail: `nanogpt config states decay_lr False: constant learning_rate ${peak} over ${total} steps`,
          stated: true,
        };
      }
      if (decayIters !== undefined && warmupIters !== undefined && decayIters > warmupIters) {
        return {
          primary: nanogptSchedule({ peak, warmup: warmupIters, decay: decayIters, minLr }),
          alternatives: [],
          detail: `nanogpt config states its schedule: ${warmupIters} warmup iters, cosine decay to min_lr ${minLr} at lr_decay_iters ${decayIters}${decayIters > total ? ` (beyond the run's ${total} steps)` : ''}`,
          stated: true,
        };
      }
      const warmup = warmupOf(config, total) || Math.min(2000, Math.round(total / 10));
      return {
        primary: cosine(peak, total, warmup, minLr),
        alternatives: [constant(peak, total, warmup), linear(peak, total, warmup, minLr)],
        detail: `nanogpt default: ${warmup} warmup steps then cosine decay to min_lr ${minLr} at step ${total} (alternatives: decay_lr False, linear)`,
        stated: false,
      };
    }
    case 'llmc': {
      const peak = peakOf(config, 3e-4);
      const warmup = warmupOf(config, total);
      const frac = num(config, 'final_learning_rate_frac') ?? 0;
      // The binary's settings table states its scheduler (`| LR scheduler | cosine |`).
      const name = str(config, 'lr_scheduler');
      const named =
        name === 'cosine'
          ? cosine(peak, total, warmup, peak * frac)
          : name === 'linear'
            ? linear(peak, total, warmup, peak * frac)
            : name === 'constant'
              ? constant(peak, total, warmup)
              : null;
      if (named)
        return {
          primary: named,
          alternatives: [],
          detail: `llm.c settings state LR scheduler ${name}${warmup ? `, ${warmup} warmup steps` : ''}${name === 'constant' ? '' : `, final LR fraction ${frac}`} over ${total} steps`,
          stated: true,
        };
      return {
        primary: cosine(peak, total, warmup, peak * frac),
        alternatives: [constant(peak, total, warmup), linear(peak, total, warmup, peak * frac)],
        detail: `llm.c: cosine decay to ${frac} x the peak over ${total} steps${warmup ? ` after ${warmup} warmup steps` : ''} (alternatives: constant, linear)`,
        stated: false,
      };
    }
    case 'modded-nanogpt': {
      const peak = peakOf(config, 1e-3);
      const warmup = warmupOf(config, total);
      const warmdown = num(config, 'warmdown_iters');
      const frac = num(config, 'cooldown_frac');
      const decay = warmdown !== undefined && warmdown > 0 ? warmdown / total : (frac ?? 0.4);
      const others = [0.3, 0.55].filter((d) => Math.abs(d - decay) > 0.05);
      return {
        primary: wsd(peak, total, warmup, Math.min(decay, 0.99)),
        alternatives: others.map((d) => wsd(peak, total, warmup, d)),
        detail: `modded-nanogpt: constant then linear cooldown to 0 over the last ${Math.round(100 * decay)}% of ${total} steps (alternatives: cooldown ${others.map((d) => `${Math.round(100 * d)}%`).join(', ')})`,
        stated: false,
      };
    }
    case 'lightning': {
      const peak = peakOf(config, 1e-3);
      const warmup = warmupOf(config, total);
      return {
        primary: constant(peak, total, warmup),
        alternatives: [linear(peak, total, warmup), cosine(peak, total, warmup)],
        detail: `lightning: the optimizer's constant LR (no scheduler logged) over ${total} steps (alternatives: linear, cosine decay to 0)`,
        stated: false,
      };
    }
    case 'torchtitan': {
      // torchtitan lr_scheduler: linear warmup, then (decay_ratio unset) a linear decay to lr_min
      // (0) over all the steps after it; learning_rate 8e-4 by default.
      const peak = peakOf(config, 8e-4);
      const warmup = warmupOf(config, total);
      return {
        primary: linear(peak, total, warmup),
        alternatives: [cosine(peak, total, warmup), constant(peak, total, warmup)],
        detail: `torchtitan default: linear decay to 0 over ${total} steps${warmup ? ` after ${warmup} warmup steps` : ''} (alternatives: cosine, constant)`,
        stated: false,
      };
    }
    case 'keras': {
      const peak = peakOf(config, 1e-3);
      const warmup = warmupOf(config, total);
      return {
        primary: constant(peak, total, warmup),
        alternatives: [linear(peak, total, warmup), cosine(peak, total, warmup)],
        detail: `keras: the optimizer's constant learning rate (no LR printed, so no callback changed it) over ${total} epochs (alternatives: linear, cosine decay to 0)`,
        stated: false,
      };
    }
    default: {
      const peak = peakOf(config, 1e-3);
      const warmup = warmupOf(config, total);
      return {
        primary: constant(peak, total, warmup),
        alternatives: [linear(peak, total, warmup), cosine(peak, total, warmup)],
        detail: `no LR logged and no known default for ${trainer === 'unknown' ? 'this format' : trainer}: constant LR over ${total} steps (alternatives: linear, cosine decay to 0)`,
        stated: false,
      };
    }
  }
}
