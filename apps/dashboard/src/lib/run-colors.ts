const PALETTE = [
  '#3b6fe0',
  '#e0772a',
  '#2ca36b',
  '#c83e4d',
  '#8a5cd1',
  '#1fa3b5',
  '#c9a227',
  '#d45ba8',
  '#6b8e23',
  '#7f7f7f',
];

/** A distinct colour for the i-th run of a comparison (golden-angle hues past the palette). */
export function pickRunColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index]!;
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 62% 52%)`;
}

/**
 * A run's own colour, the same in every view (runs table, run page, comparisons): the palette for
 * ids 1-10, golden-angle hues after, so runs with neighbouring ids stay apart.
 */
export function runColor(runId: number): string {
  return pickRunColor(Math.max(0, runId - 1));
}

/** Points per run when overlaying n runs: the total drawn stays near 20k points. */
export function pickOverlayBudget(runCount: number): number {
  return Math.max(200, Math.min(2000, Math.floor(20_000 / Math.max(1, runCount))));
}
