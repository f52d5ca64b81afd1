const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NON_FINITE = new Map<string, number>([
  ['nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
]);

/**
 * A number as Python's repr writes it (`7.62858`, `1e-05`, `nan`, `inf`, `-inf`; surrounding
 * spaces allowed); undefined otherwise.
 */
export function parsePythonNumber(raw: string): number | undefined {
  const text = raw.trim();
  if (NUMBER.test(text)) return Number(text);
  return NON_FINITE.get(text.toLowerCase());
}
