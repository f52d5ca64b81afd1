const NON_FINITE = new Map<string, number>([
  ['nan', Number.NaN],
  ['+nan', Number.NaN],
  ['-nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);

/**
 * A non-finite value spelled as a word, any case (`nan`, `-NaN`, `inf`, `+Infinity`, `-inf`...);
 * undefined for anything else (surrounding spaces included).
 */
export function parseNonFiniteWord(text: string): number | undefined {
  return NON_FINITE.get(text.toLowerCase());
}
