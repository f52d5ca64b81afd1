// Chart downloads: the rows a chart draws as CSV, and the drawn SVG as a PNG (pure parts here;
// the browser part - canvas, object URLs - lives in the ChartDownloads component).

type Cell = number | string | null | undefined | readonly [number, number];

/** CSV of chart rows: a header of the columns, one line per row; [lo, hi] cells become two columns. */
export function toChartCsv(options: {
  rows: readonly Record<string, Cell>[];
  columns: readonly { key: string; label: string }[];
}): string {
  const header: string[] = [];
  for (const c of options.columns) {
    const ranged = options.rows.some((r) => Array.isArray(r[c.key]));
    if (ranged) header.push(`${c.label} low`, `${c.label} high`);
    else header.push(c.label);
  }
  const ranged = new Set(
    options.columns
      .filter((c) => options.rows.some((r) => Array.isArray(r[c.key])))
      .map((c) => c.key),
  );
  const lines = [header.map(quoteCsv).join(',')];
  for (const row of options.rows) {
    const cells: string[] = [];
    for (const c of options.columns) {
      const v = row[c.key];
      if (ranged.has(c.key)) {
        const pair = Array.isArray(v) ? (v as readonly [number, number]) : null;
        cells.push(formatCsvNumber(pair?.[0]), formatCsvNumber(pair?.[1]));
      } else if (typeof v === 'string') cells.push(quoteCsv(v));
      else cells.push(formatCsvNumber(v as number | null | undefined));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function formatCsvNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

function quoteCsv(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A file name for a chart download: "<run>-<chart>.<ext>", safe on every file system. */
export function buildChartFileName(run: string, chart: string, ext: 'csv' | 'png'): string {
  const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'chart';
  return `${safe(run)}-${safe(chart)}.${ext}`;
}
