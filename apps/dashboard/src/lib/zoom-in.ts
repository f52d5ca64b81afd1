/**
 * The keyboard's way to zoom the run page's charts (the mouse drags a range): halves the shown
 * x-range around `focus` (usually the last observed step, where the forecast starts), keeping the
 * new range inside the old one. On a log axis the halving is in log space. Null when the range
 * cannot shrink further (a degenerate range, or a log range that is not positive).
 */
export function zoomIn(options: {
  range: readonly [number, number];
  focus: number;
  log: boolean;
}): [number, number] | null {
  const { log } = options;
  const [a, b] = options.range;
  if (log && !(a > 0 && b > 0 && options.focus > 0)) return null;
  const to = (x: number) => (log ? Math.log10(x) : x);
  const from = (u: number) => (log ? 10 ** u : u);
  const lo = to(Math.min(a, b));
  const hi = to(Math.max(a, b));
  const width = (hi - lo) / 2;
  if (!(width > 0) || !Number.isFinite(width)) return null;
  const center = Math.min(Math.max(to(options.focus), lo + width / 2), hi - width / 2);
  return [from(center - width / 2), from(center + width / 2)];
}
