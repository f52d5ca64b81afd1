import {
  type IngestIssue,
  type MetricRow,
  type ParseContext,
  parsePythonNumber,
  splitCompleteLines,
} from '@runcast/core';

export interface MetricLinesResult {
  rows: MetricRow[];
  consumed: number;
  line: number;
  issues: IngestIssue[];
}

/**
 * `metrics/<key>` lines `<timestamp ms> <value> [<step>]` (no step = step 0, as MLflow reads them);
 * values as Python's str(float): `nan`, `inf`, `-inf`, `1.25e+22`.
 */
export function parseMetricLines(
  chunk: Uint8Array,
  options: { key: string; line: number; ctx: ParseContext },
): MetricLinesResult {
  const { key, ctx } = options;
  const split = splitCompleteLines(chunk, ctx);
  const rows: MetricRow[] = [];
  const issues: IngestIssue[] = [];
  const { consumed } = split;
  let lines = split.lines;
  if (split.unterminated) {
    // MLflow ends every line with a newline; one without is still being written, and its last
    // field (the step) may be cut: leave it for the next read.
    lines = lines.slice(0, -1);
    issues.push({
      level: 'warning',
      line: options.line + lines.length + 1,
      message: 'last line has no newline yet; left unread until it is complete',
    });
  }
  let lineNo = options.line;
  for (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const fields = line.trim().split(/\s+/);
    const [ts, raw, rawStep] = fields;
    const time = Number(ts);
    const value = raw === undefined ? undefined : parsePythonNumber(raw);
    const step = rawStep === undefined ? 0 : Number(rawStep);
    if (fields.length < 2 || fields.length > 3 || !/^\d+$/.test(ts!)) {
      issues.push({
        level: 'warning',
        line: lineNo,
        message: `expected "<timestamp> <value> [<step>]", got "${line}"`,
      });
    } else if (value === undefined) {
      issues.push({
        level: 'warning',
        line: lineNo,
        field: key,
        message: `"${raw}" is not a number`,
      });
    } else if (!Number.isInteger(step) || step < 0) {
      issues.push({
        level: 'warning',
        line: lineNo,
        field: 'step',
        message: `"${rawStep}" is not a step`,
      });
    } else rows.push({ step, time: time / 1000, metrics: { [key]: value } });
  }
  return { rows, consumed, line: lineNo, issues };
}
