import { parseJsonLine } from './json-line';

const decoder = new TextDecoder('utf-8');

function firstLines(head: Uint8Array, n: number): string[] {
  const text = decoder.decode(head);
  const lines = text.split('\n');
  // The head may cut the last line: only whole lines count.
  if (head.length >= 65536) lines.pop();
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, n);
}

function isObjectLine(line: string): boolean {
  try {
    const v = parseJsonLine(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Confidence that a file is JSON Lines of metric objects. */
export function detectJsonl(path: string, head: Uint8Array): number {
  const lower = path.toLowerCase();
  const jsonlName = lower.endsWith('.jsonl') || lower.endsWith('.ndjson');
  if (head.includes(0)) return jsonlName ? 0.3 : 0;
  const lines = firstLines(head, 3);
  if (lines.length === 0) return jsonlName ? 0.5 : 0;
  const objects = lines.filter(isObjectLine).length;
  if (jsonlName) return objects > 0 ? 0.95 : 0.4;
  // A pretty-printed .json document starts with a lone "{": not JSONL.
  if (objects === lines.length && lines.length >= 2) return lower.endsWith('.json') ? 0.6 : 0.5;
  return 0;
}
