import type { FileIssue, IngestIssue } from '@runcast/core';

/** Issues kept per file; the rest are counted in one closing line. */
export const MAX_ISSUES_PER_FILE = 200;

/** Collects a file's diagnostics (capped) and non-finite values per series. */
export class IssueLog {
  readonly issues: FileIssue[] = [];
  errors = 0;
  private dropped = 0;
  private readonly nonFinite = new Map<string, { count: number; firstStep: number }>();

  add(issue: IngestIssue): void {
    if (issue.level === 'error') this.errors++;
    if (this.issues.length >= MAX_ISSUES_PER_FILE) {
      this.dropped++;
      return;
    }
    const out: FileIssue = { level: issue.level, message: issue.message };
    if (issue.line !== undefined) out.line = issue.line;
    if (issue.offset !== undefined) out.offset = issue.offset;
    if (issue.field !== undefined) out.field = issue.field;
    this.issues.push(out);
  }

  /** Notes a NaN/Infinity value: stored, and summarised as one warning per series. */
  noteNonFinite(key: string, step: number): void {
    const seen = this.nonFinite.get(key);
    if (seen) seen.count++;
    else this.nonFinite.set(key, { count: 1, firstStep: step });
  }

  /** The issues, with the non-finite summaries and the count of issues left out. */
  finish(): FileIssue[] {
    const out = [...this.issues];
    for (const [key, { count, firstStep }] of this.nonFinite) {
      out.push({
        level: 'warning',
        field: key,
        message: `"${key}" has ${count} NaN/Infinity value(s), first at step ${firstStep}; stored as logged`,
      });
    }
    if (this.dropped > 0) {
      out.push({ level: 'warning', message: `${this.dropped} more issue(s) not shown` });
    }
    return out;
  }
}
