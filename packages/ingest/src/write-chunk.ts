import type { MetricRow, RunInfo, RunPatch, SourceIdentity } from '@runcast/core';
import { appendPoints, type DbHandle, getRun, type PointsRow, upsertRun } from '@runcast/db';
import type { IssueLog } from './issue-log';
import type { RunOptions } from './types';

/** The runs one file feeds, created on first use; counts what was written to each. */
export class RunTargets {
  readonly touched = new Map<string, { id: number; points: number; series: Set<string> }>();
  private readonly ids = new Map<string, number>();
  private readonly infos = new Map<string, RunInfo>();

  constructor(
    private readonly db: DbHandle,
    private readonly identity: SourceIdentity,
    private readonly options: RunOptions,
  ) {}

  /** Run metadata found by the plugin (applied when the run is written to). */
  addInfo(info: RunInfo): void {
    const key = this.keyOf(info.run);
    this.infos.set(key, { ...this.infos.get(key), ...info });
    this.ids.delete(key);
  }

  keyOf(subRun: string | undefined): string {
    return subRun === undefined ? this.identity.key : `${this.identity.key}#${subRun}`;
  }

  /** The run id for a (sub-)run key; creates or updates the run. Call inside the transaction. */
  resolve(key: string, subRun: string | undefined): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const { run: _sub, ...info } = this.infos.get(key) ?? {};
    const explicit: RunPatch = {};
    if (this.options.project !== undefined) explicit.project = this.options.project;
    if (this.options.run !== undefined && subRun === undefined) explicit.name = this.options.run;
    if (this.options.group !== undefined) explicit.group = this.options.group;
    if (this.options.schedule !== undefined) explicit.schedule = this.options.schedule;
    const existing = getRun(this.db, key);
    const patch: RunPatch = existing
      ? { ...info, ...explicit }
      : {
          name: subRun ?? this.identity.name,
          project: this.identity.project ?? 'default',
          ...info,
          ...explicit,
        };
    const run = upsertRun(this.db, { key, patch });
    this.ids.set(key, run.id);
    return run.id;
  }
}

function isValidStep(step: unknown): step is number {
  return typeof step === 'number' && Number.isInteger(step) && step >= 0;
}

/**
 * Validates a chunk's rows and writes them, grouped per run. Call inside the chunk's
 * transaction. Returns [rows written, points written (new or replaced)].
 */
export function writeRows(options: {
  db: DbHandle;
  rows: readonly MetricRow[];
  targets: RunTargets;
  log: IssueLog;
}): [number, number] {
  const { db, rows, targets, log } = options;
  const byRun = new Map<string, { sub: string | undefined; rows: PointsRow[] }>();
  let kept = 0;
  for (const row of rows) {
    if (!isValidStep(row.step)) {
      log.add({
        level: 'error',
        field: 'step',
        message: `invalid step ${String(row.step)}; row skipped`,
      });
      continue;
    }
    const metrics = row.metrics;
    let any = false;
    for (const key in metrics) {
      const v = metrics[key];
      if (typeof v !== 'number') {
        log.add({
          level: 'error',
          field: key,
          message: `"${key}" at step ${row.step} is not a number`,
        });
        delete metrics[key];
        continue;
      }
      if (!Number.isFinite(v)) log.noteNonFinite(key, row.step);
      any = true;
    }
    if (!any) continue;
    const key = targets.keyOf(row.run);
    let group = byRun.get(key);
    if (!group) byRun.set(key, (group = { sub: row.run, rows: [] }));
    group.rows.push(row);
    kept++;
  }
  let points = 0;
  for (const [key, group] of byRun) {
    const runId = targets.resolve(key, group.sub);
    const counts = appendPoints(db, { runId, rows: group.rows });
    const written = counts.inserted + counts.replaced;
    points += written;
    let touched = targets.touched.get(key);
    if (!touched) targets.touched.set(key, (touched = { id: runId, points: 0, series: new Set() }));
    touched.points += written;
    if (written > 0) for (const r of group.rows) for (const k in r.metrics) touched.series.add(k);
  }
  return [kept, points];
}
