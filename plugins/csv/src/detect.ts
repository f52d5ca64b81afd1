import { matchDvcLiveFile } from './dvclive';
import { findColumn, STEP_COLUMNS, sniffDelimiter, splitCells } from './header';

const decoder = new TextDecoder('utf-8');

/** Confidence that a file is a delimited metrics table with a header row. */
export function detectCsv(path: string, head: Uint8Array): number {
  if (head.includes(0)) return 0;
  const lower = path.toLowerCase();
  const tableName = /\.(csv|tsv)$/.test(lower);
  const lines = decoder
    .decode(head)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return tableName ? 0.5 : 0;
  const first = lines[0]!;
  if (/^\s*[{[]/.test(first)) return 0;
  const delimiter = sniffDelimiter(first);
  const header = splitCells(first, delimiter) ?? [];
  const hasStep = findColumn(header, STEP_COLUMNS) >= 0;
  if (matchDvcLiveFile(path) && hasStep) return 0.9;
  if (tableName) return hasStep ? 0.6 : 0.5;
  // Other names: only a clear table (a step column, several rows, same cell count).
  if (!hasStep || header.length < 2 || lines.length < 2) return 0;
  const same = lines.slice(1, 5).every((l) => splitCells(l, delimiter)?.length === header.length);
  return same ? 0.3 : 0;
}
