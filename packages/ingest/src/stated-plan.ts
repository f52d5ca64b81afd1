import { type JsonObject, PLAN_KEY } from '@runcast/core';

/** Config keys under which trainers state a run's length in optimizer steps (most specific first). */
const STEP_KEYS = [
  'max_steps',
  'total_steps',
  'num_iterations',
  'max_iters',
  'train_iters',
  'num_train_steps',
  'train_steps',
  'total_iters',
  'max_iter',
];
/** ... and in epochs. */
const EPOCH_KEYS = ['max_epochs', 'num_train_epochs', 'epochs', 'num_epochs', 'n_epochs'];
/** Sections a nested config keeps them in (LightningCLI `trainer:`, `training:`, ...). */
const SECTIONS = ['trainer', 'training', 'train', 'args', 'hparams', 'optim', 'optimization'];
/** Beyond this a stated length is a sentinel (HF streaming: num_train_epochs = int64 max). */
const MAX_PLAN = 1e9;

/** A length stated by a run's logs: in steps, or in epochs (converted with the steps per epoch). */
export interface StatedPlan {
  key: string;
  value: number;
  unit: 'steps' | 'epochs';
}

function toCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+(\.0*)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n >= MAX_PLAN) return undefined;
  return Number.isInteger(n) ? n : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** W&B's old config layout wraps each value: `{desc, value}`. */
function unwrap(value: unknown): unknown {
  return isObject(value) && 'value' in value ? value.value : value;
}

function findIn(config: Record<string, unknown>, prefix: string): StatedPlan | undefined {
  for (const [keys, unit] of [
    [STEP_KEYS, 'steps'],
    [EPOCH_KEYS, 'epochs'],
  ] as const) {
    for (const key of keys) {
      const value = toCount(unwrap(config[key]));
      if (value !== undefined) return { key: prefix + key, value, unit };
    }
  }
  return undefined;
}

/**
 * The planned length a run's config states (HF `max_steps`, LLaMA-Factory `total_steps`,
 * llm.c `num_iterations`, nanoGPT `max_iters`, Megatron `train_iters`, Lightning
 * `max_steps`/`max_epochs`, Ultralytics `epochs`, ...): steps before epochs, top level before a
 * `trainer:`-like section. Runcast's own `runcast/plan` (a total printed in the log lines) first.
 */
export function findStatedPlan(config: JsonObject): StatedPlan | undefined {
  const own = config[PLAN_KEY];
  if (isObject(own)) {
    const value = toCount(own.value);
    if (value !== undefined && (own.unit === 'steps' || own.unit === 'epochs')) {
      return { key: String(own.key ?? 'log'), value, unit: own.unit };
    }
  }
  const top = findIn(config, '');
  if (top?.unit === 'steps') return top;
  for (const section of SECTIONS) {
    const nested = unwrap(config[section]);
    if (!isObject(nested)) continue;
    const found = findIn(nested, `${section}.`);
    if (found?.unit === 'steps' || (found && !top)) return found;
  }
  return top;
}

/** The decimals every logged epoch is rounded to (HF before 4.40: 2), or undefined (full floats). */
function roundedDecimals(epochs: readonly number[]): number | undefined {
  for (const decimals of [1, 2, 3, 4]) {
    const scale = 10 ** decimals;
    if (epochs.every((e) => Math.abs(e * scale - Math.round(e * scale)) < 1e-6)) return decimals;
  }
  return undefined;
}

/**
 * Steps per epoch from fractional epochs rounded to `decimals`: each logged (step, epoch) bounds
 * it; a whole number inside every bound (an optimizer's steps per epoch) is taken, the one nearest
 * the last ratio; none inside: the last ratio. 34 / 0.47 is 72.3, but 33 / 0.45 says >= 72.5: 73.
 */
function wholeStepsPerEpoch(points: readonly [number, number][], decimals: number): number {
  const [lastStep, lastEpoch] = points.at(-1)!;
  const ratio = lastStep / lastEpoch;
  const half = 0.5 / 10 ** decimals;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (const [step, epoch] of points) {
    if (step <= 0 || epoch <= 0) continue;
    lo = Math.max(lo, step / (epoch + half));
    if (epoch > half) hi = Math.min(hi, step / (epoch - half));
  }
  const first = Math.ceil(lo - 1e-9);
  const last = Math.floor(hi + 1e-9);
  if (first > last) return ratio;
  return Math.min(last, Math.max(first, Math.round(ratio)));
}

/**
 * Optimizer steps per epoch from a run's logged epoch series: HF logs a fractional epoch
 * (step / steps per epoch, rounded to 2 decimals by older versions) with each row; Lightning a
 * whole 0-based epoch per row. Undefined until one epoch is complete.
 */
export function stepsPerEpoch(points: readonly [number, number][]): number | undefined {
  const last = points.at(-1);
  if (!last) return undefined;
  const [lastStep, lastEpoch] = last;
  if (points.some(([, e]) => !Number.isInteger(e))) {
    if (!(lastEpoch > 0)) return undefined;
    const decimals = roundedDecimals(points.map(([, e]) => e));
    return decimals === undefined ? lastStep / lastEpoch : wholeStepsPerEpoch(points, decimals);
  }
  if (lastEpoch < 1) return undefined;
  let before = -1;
  for (const [step, epoch] of points) if (epoch < lastEpoch && step > before) before = step;
  return before >= 0 ? (before + 1) / lastEpoch : undefined;
}
