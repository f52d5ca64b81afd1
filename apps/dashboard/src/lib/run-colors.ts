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

/** Points per run when overlaying n runs: the total drawn stays near 20k points. */
export function pickOverlayBudget(runCount: number): number {
  return Math.max(200, Math.min(2000, Math.floor(20_000 / Math.max(1, runCount))));
}
