/** Keys under which trainers log the learning rate (lr, learning_rate, train/lr, lr-AdamW, lr_0, ...). */
const LR_KEY = /(^|[/._-])(lr|learning[_-]?rate)($|[/._-])|^lr-[a-z0-9]+|^lr[_-]?\d+$/i;

export function isLearningRateKey(key: string): boolean {
  return LR_KEY.test(key);
}

/** Prefers the plainest LR key when a run logs several (lr-AdamW/pg1, lr-AdamW/pg2 ...). */
export function pickLearningRateKey(keys: readonly string[]): string | undefined {
  const candidates = keys.filter(isLearningRateKey);
  candidates.sort((a, b) => a.length - b.length || a.localeCompare(b));
  return candidates[0];
}

const LOSS_PREFERENCE = [
  'loss',
  'train/loss',
  'train_loss',
  'training_loss',
  'lm loss',
  'train/lm_loss',
  'val_loss',
  'val/loss',
  'eval_loss',
  'eval/loss',
];

/** The series a forecast targets by default: the training (or else validation) loss. */
export function pickLossKey(keys: readonly string[]): string | undefined {
  for (const k of LOSS_PREFERENCE) if (keys.includes(k)) return k;
  return keys.find((k) => /loss/i.test(k));
}
