/** Which series of a run the run page draws as train loss, validation loss and LR. */
const VAL = /(^|[/_\-. ])(val|valid|validation|eval|test)([/_\-. ]|$)|^(val|eval)/i;

export function isValidationKey(key: string): boolean {
  return VAL.test(key);
}

export function pickChartKeys(options: {
  keys: readonly string[];
  lossKey: string | null;
  lrKey: string | null;
}): { train: string | null; val: string | null; lr: string | null } {
  const { keys, lossKey } = options;
  const losses = keys.filter((k) => /loss/i.test(k));
  const train =
    lossKey && !isValidationKey(lossKey)
      ? lossKey
      : (losses.find((k) => !isValidationKey(k)) ?? null);
  const val =
    lossKey && isValidationKey(lossKey)
      ? lossKey
      : (losses.find((k) => isValidationKey(k)) ?? null);
  return { train, val, lr: options.lrKey };
}
