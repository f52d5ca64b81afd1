const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NON_FINITE: Record<string, number> = {
  nan: Number.NaN,
  '+nan': Number.NaN,
  '-nan': Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

/** A number as trainers print it (`3.2100`, `1.263599E+01`, `nan`, `inf`); undefined if it is not one. */
export function parseLogNumber(raw: string): number | undefined {
  const text = raw.trim();
  if (NUMBER.test(text)) return Number(text);
  return NON_FINITE[text.toLowerCase()];
}
