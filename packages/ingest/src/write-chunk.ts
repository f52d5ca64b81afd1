import {
  type MetricRow,
  NAME_LIMITS,
  type ProjectScope,
  type Run,
  type RunInfo,
  RunPatch,
  replaceUnsafeText,
  type SourceIdentity,
  sanitizeName,
} from '@runcast/core';
import {
  appendPoints,
  type DbHandle,
  findProjectScope,
  getRun,
  type PointsRow,
  saveProjectScope,
  upsertRun,
} from '@runcast/db';
import type { IssueLog } from './issue-log';
import type { RunOptions } from './types';

/** What one pass wrote to a run (points 0 for a run that only got metadata). */
export interface TouchedRun {
  id: number;
  points: number;
  series: Set<string>;
}

/** The fields of `patch` that would change `run` (JSON-equal values dropped). */
function changedFields(run: Run, patch: RunPatch): RunPatch {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = (run as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(current) !== JSON.stringify(value)) out[field] = value;
  }
  return out as RunPatch;
}

/**
 * Names that come from files (paths, a log's run name, project, group, tags) with control or
 * bidi-formatting characters replaced and cut to the API's limits: stored, never refused.
 */
function sanitizePatch(patch: RunPatch): RunPatch {
  const out: RunPatch = { ...patch };
  if (out.name !== undefined) out.name = sanitizeName(out.name, NAME_LIMITS.run);
  if (out.project !== undefined) out.project = sanitizeName(out.project, NAME_LIMITS.project);
  if (typeof out.group === 'string') out.group = sanitizeName(out.group, NAME_LIMITS.group);
  if (out.tags !== undefined) out.tags = out.tags.map((t) => sanitizeName(t, NAME_LIMITS.tag));
  return out;
}

/** Metric keys from a file: control or bidi-formatting characters replaced, in place. */
function sanitizeKeys(metrics: Record<string, number>): void {
  for (const key of Object.keys(metrics)) {
    const safe = replaceUnsafeText(key);
    if (safe === key) continue;
    metrics[safe] = metrics[key]!;
    delete metrics[key];
  }
}

/** The fields of a plugin's RunInfo that fit RunPatch; each bad one is dropped with a warning. */
function validInfoFields(fields: Record<string, unknown>, log: IssueLog): RunPatch {
  const parsed = RunPatch.safeParse(fields);
  if (parsed.success) return parsed.data;
  const out: Record<string, unknown> = { ...fields };
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in out)) continue;
    delete out[field];
    log.add({
      level: 'warning',
      field,
      message: `run ${field} from the plugin ignored: ${issue.message}`,
    });
  }
  const again = RunPatch.safeParse(out);
  return again.success ? again.data : {};
}

/**
 * The runs one file feeds, created on first use; counts what was written to each.
 * Precedence of a run's fields: explicit CLI options > the plugin's RunInfo > project scopes
 * (for the project) > the source identity > defaults. A scope read after its runs moves those
 * in 'default' (or in the project an earlier scope gave them), never one set explicitly. RunInfo config is merged key by key into the
 * stored config ({ ...stored, ...info }, shallow) and tags are united, so several files (one
 * MLflow param per file) build one run's config.
 */
export class RunTargets {
  readonly touched = new Map<string, TouchedRun>();
  /** Runs resolved on this pass (explicit options already applied). */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly db: DbHandle,
    private readonly identity: SourceIdentity,
    private readonly options: RunOptions,
  ) {}

  keyOf(subRun: string | undefined): string {
    return subRun === undefined ? this.identity.key : `${this.identity.key}#${subRun}`;
  }

  private explicitPatch(subRun: string | undefined): RunPatch {
    const explicit: RunPatch = {};
    if (this.options.project !== undefined) explicit.project = this.options.project;
    if (this.options.run !== undefined && subRun === undefined) explicit.name = this.options.run;
    if (this.options.group !== undefined) explicit.group = this.options.group;
    if (this.options.schedule !== undefined) explicit.schedule = this.options.schedule;
    return explicit;
  }

  private touch(key: string, id: number): TouchedRun {
    let touched = this.touched.get(key);
    if (!touched) this.touched.set(key, (touched = { id, points: 0, series: new Set() }));
    return touched;
  }

  /** Creates the run with `patch` over the defaults, or applies what changes to the stored one. */
  private write(key: string, subRun: string | undefined, fields: RunPatch): number {
    const patch = sanitizePatch(fields);
    const existing = getRun(this.db, key);
    if (existing) {
      const changed = changedFields(existing, patch);
      if (Object.keys(changed).length > 0) upsertRun(this.db, { key, patch: changed });
      return existing.id;
    }
    const run = upsertRun(this.db, {
      key,
      patch: sanitizePatch({
        name: subRun ?? this.identity.name,
        project: this.identity.project ?? 'default',
        ...patch,
      }),
    });
    return run.id;
  }

  /**
   * Applies run metadata found by the plugin, creating the run if needed (a run with metadata
   * and no points is still a run). Call inside the chunk's transaction.
   */
  applyInfo(info: RunInfo, log: IssueLog): void {
    const { run: subRun, ...raw } = info;
    const fields = validInfoFields(raw, log);
    const key = this.keyOf(subRun);
    const existing = getRun(this.db, key);
    const patch: RunPatch = { ...fields };
    if (patch.status !== undefined) {
      // A status the log states (HF max_steps reached, MLflow status, W&B exit record); one a
      // user or a pushing client set stays.
      if (existing?.statusSource === 'user' || existing?.statusSource === 'push') {
        delete patch.status;
        delete patch.statusSource;
      } else patch.statusSource ??= 'log-metadata';
    }
    if (patch.stepsPlanned !== undefined && existing?.stepsPlannedSource === 'declared') {
      delete patch.stepsPlanned;
      delete patch.stepsPlannedSource;
    }
    if (fields.config !== undefined) patch.config = { ...existing?.config, ...fields.config };
    if (fields.tags !== undefined) {
      patch.tags = [...new Set([...(existing?.tags ?? []), ...fields.tags])];
    }
    if (!existing && patch.project === undefined) {
      const scoped = findProjectScope(this.db, { key });
      if (scoped !== undefined) patch.project = scoped;
    }
    const id = this.write(key, subRun, { ...patch, ...this.explicitPatch(subRun) });
    this.ids.set(key, id);
    this.touch(key, id);
  }

  /**
   * Saves the projects a file sets for runs under a key prefix; stored runs under it move
   * (see saveProjectScope) unless this pass has an explicit project. Call inside the transaction.
   */
  applyScope(scope: ProjectScope): void {
    saveProjectScope(this.db, {
      keyPrefix: scope.keyPrefix,
      project: sanitizeName(scope.project, NAME_LIMITS.project),
      moveRuns: this.options.project === undefined,
    });
  }

  /** The run id for a (sub-)run key; creates or updates the run. Call inside the transaction. */
  resolve(key: string, subRun: string | undefined): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const patch = this.explicitPatch(subRun);
    if (patch.project === undefined && !getRun(this.db, key)) {
      const scoped = findProjectScope(this.db, { key });
      if (scoped !== undefined) patch.project = scoped;
    }
    const id = this.write(key, subRun, patch);
    this.ids.set(key, id);
    return id;
  }

  /** Counts points written to a run on this pass. */
  record(key: string, id: number, written: number, rows: readonly MetricRow[]): void {
    const touched = this.touch(key, id);
    touched.points += written;
    if (written > 0) for (const r of rows) for (const k in r.metrics) touched.series.add(k);
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
    sanitizeKeys(metrics);
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
    targets.record(key, runId, written, group.rows);
  }
  return [kept, points];
}
