/**
 * Keys under which trainers log the learning rate: lr, learning_rate, learning-rate, lr0, x/lr0
 * (YOLOv5), lr/pg0 (Ultralytics), lr-AdamW, lr-Adam/pg1 (Lightning), train/lr, optimizer/lr, lr_0.
 */
const LR_KEY = /(^|[/._-])(lr|learning[_-]?rate)($|[/._-])|^lr-[a-z0-9]+|(^|[/._-])lr[_-]?\d+$/i;

export function isLearningRateKey(key: string): boolean {
  return LR_KEY.test(key);
}

/** Prefers the plainest LR key, the first param group when a run logs several (lr/pg0, lr-AdamW). */
export function pickLearningRateKey(keys: readonly string[]): string | undefined {
  const candidates = keys.filter(isLearningRateKey);
  candidates.sort((a, b) => a.length - b.length || a.localeCompare(b));
  return candidates[0];
}

/**
 * Among equally dense training losses, the plainer name first; a total before its parts
 * (detectron2 `total_loss` over `loss_cls`, `loss_box_reg`, ...).
 */
const LOSS_PREFERENCE = [
  'loss',
  'train/loss',
  'train_loss',
  'total_loss',
  'train/total_loss',
  'train_total_loss',
  'loss_total',
  'train_loss_step',
  'training_loss',
  'lm loss',
  'train/lm_loss',
  'train_loss_epoch',
  'val_loss',
  'val/loss',
  'eval_loss',
  'eval/loss',
];

const VALIDATION = /(^|[/_\s-])(val|valid|validation|eval|test|dev)([/_\s-]|$)|^(val|eval|test)/i;

/** A loss series that is not a validation/eval/test loss. */
export function isTrainingLossKey(key: string): boolean {
  return /loss/i.test(key) && !VALIDATION.test(key);
}

/**
 * The sum a trainer logs beside the terms of its loss: detectron2's `total_loss` (beside
 * `loss_cls`, `loss_box_reg`, ...), `mean_loss`, `train/total_loss`, `loss_total`, `overall_loss`.
 */
const AGGREGATE_LOSS =
  /^(?:(?:train(?:ing)?[/_])?(?:total|mean|avg|average|overall|full|sum)[_ /-]?loss|(?:train(?:ing)?[/_])?loss[_/-](?:total|mean|avg|sum))$/i;

function preference(key: string): number {
  const i = LOSS_PREFERENCE.indexOf(key);
  if (i >= 0) return i;
  return AGGREGATE_LOSS.test(key) ? LOSS_PREFERENCE.length : LOSS_PREFERENCE.length + 1;
}

/**
 * The loss series a forecast can target, best first: training losses, densest first (a per-step
 * `train_loss_step` over its per-epoch `train_loss_epoch`), ties by the plainer name (the sum of
 * the terms, `total_loss`, before the terms); then validation / eval losses the same way.
 * `points` absent = equal density.
 */
export function rankLossKeys(series: readonly { key: string; points?: number }[]): string[] {
  const losses = series.filter((s) => /loss/i.test(s.key));
  const order = (a: { key: string; points?: number }, b: { key: string; points?: number }) =>
    Number(isTrainingLossKey(b.key)) - Number(isTrainingLossKey(a.key)) ||
    (b.points ?? 0) - (a.points ?? 0) ||
    preference(a.key) - preference(b.key) ||
    a.key.localeCompare(b.key);
  return [...losses].sort(order).map((s) => s.key);
}

/** The series a forecast targets by default: the densest training loss (else a validation loss). */
export function pickLossKey(
  keys: readonly string[],
  points?: ReadonlyMap<string, number>,
): string | undefined {
  return rankLossKeys(keys.map((key) => ({ key, points: points?.get(key) })))[0];
}
