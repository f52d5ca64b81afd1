import { parseJsonLine } from './json-line';
import { toMetricNumber } from './number-token';

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

function objectOf(line: string): Record<string, unknown> | undefined {
  try {
    const v = parseJsonLine(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A number (or numeric string) anywhere in a record, nested objects included. */
function hasNumber(value: unknown, depth = 0): boolean {
  if (toMetricNumber(value) !== undefined) return true;
  if (depth > 4 || value === null || typeof value !== 'object' || Array.isArray(value))
    return false;
  return Object.values(value).some((v) => hasNumber(v, depth + 1));
}

/** Confidence that a file is JSON Lines of metric objects. */
export function detectJsonl(path: string, head: Uint8Array): number {
  const lower = path.toLowerCase();
  const jsonlName = lower.endsWith('.jsonl') || lower.endsWith('.ndjson');
  if (head.includes(0)) return jsonlName ? 0.3 : 0;
  const lines = firstLines(head, 3);
  if (lines.length === 0) return jsonlName ? 0.5 : 0;
  const records = lines.map(objectOf);
  const objects = records.filter((r) => r !== undefined).length;
  // Records of text only (LLaMA-Factory's generated_predictions.jsonl: prompt, label, predict)
  // hold no metric: not a log, whatever the name.
  if (objects === lines.length && !records.some((r) => hasNumber(r))) return 0;
  if (jsonlName) return objects > 0 ? 0.95 : 0.4;
  // A pretty-printed .json document starts with a lone "{": not JSONL.
  if (objects === lines.length && lines.length >= 2) return lower.endsWith('.json') ? 0.6 : 0.5;
  return 0;
}
