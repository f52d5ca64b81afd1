import {
  type MetricRow,
  NAME_LIMITS,
  type ProjectScope,
  type RunInfo,
  RunPatch,
  replaceUnsafeText,
  type SourceIdentity,
  sanitizeName,
} from '@runcast/core';
import type { ChunkCommit, ChunkResult, PointsRow, RunUpsert } from '@runcast/db';
import type { IssueLog } from './issue-log';
import type { RunOptions } from './types';

/** What one pass wrote to a run (points 0 for a run that only got metadata). */
export interface TouchedRun {
  id: number;
  points: number;
  series: Set<string>;
}

/** A chunk's writes, planned before the store commits them (with the file's offset) at once. */
export interface PlannedChunk {
  commit: Omit<ChunkCommit, 'offset'> & { points: NonNullable<ChunkCommit['points']> };
  /** Rows kept after validation. */
  kept: number;
  /** Keys of the runs the chunk touches. */
  keys: string[];
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

function isValidStep(step: unknown): step is number {
  return typeof step === 'number' && Number.isInteger(step) && step >= 0;
}

/**
 * The runs one file feeds, created on first use; counts what was written to each.
 * Precedence of a run's fields: explicit CLI options > the plugin's RunInfo > project scopes
 * (for the project) > the source identity > defaults. A scope read after its runs moves those
 * in 'default' (or in the project an earlier scope gave them), never one set explicitly. RunInfo
 * config is merged key by key into the stored config ({ ...stored, ...info }, shallow) and tags
 * are united, so several files (one MLflow param per file) build one run's config.
 * A chunk is planned (plan) as one store unit of work (RunUpsert ops + points), committed with
 * the file's offset by the store, then recorded (record).
 */
export class RunTargets {
  readonly touched = new Map<string, TouchedRun>();
  /** Runs resolved on this pass (explicit options already applied). */
  private readonly ids = new Map<string, number>();

  constructor(
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

  private defaults(subRun: string | undefined): RunPatch {
    return sanitizePatch({
      name: subRun ?? this.identity.name,
      project: this.identity.project ?? 'default',
    });
  }

  /** Run metadata found by the plugin (a run with metadata and no points is still a run). */
  private infoOp(info: RunInfo, log: IssueLog): RunUpsert {
    const { run: subRun, ...raw } = info;
    const fields = validInfoFields(raw, log);
    // A status the log states (HF max_steps reached, MLflow status, W&B exit record); one a user
    // or a pushing client set stays, as does a declared planned length (RunUpsert.keep).
    if (fields.status !== undefined) fields.statusSource ??= 'log-metadata';
    return {
      key: this.keyOf(subRun),
      defaults: this.defaults(subRun),
      patch: sanitizePatch({ ...fields, ...this.explicitPatch(subRun) }),
      merge: true,
      scoped: true,
      keep: { status: ['user', 'push'], stepsPlanned: ['declared'] },
    };
  }

  /**
   * Validates a parse result's rows and plans the chunk: the project scopes a file sets (stored
   * runs under them move unless this pass has an explicit project), run metadata, the runs of
   * its rows not yet resolved on this pass, and the rows grouped per run.
   */
  plan(
    res: {
      rows: readonly MetricRow[];
      runs?: readonly RunInfo[];
      projectScopes?: readonly ProjectScope[];
    },
    log: IssueLog,
  ): PlannedChunk {
    const scopes = (res.projectScopes ?? []).map((scope) => ({
      keyPrefix: scope.keyPrefix,
      project: sanitizeName(scope.project, NAME_LIMITS.project),
      moveRuns: this.options.project === undefined,
    }));
    const runs: RunUpsert[] = (res.runs ?? []).map((info) => this.infoOp(info, log));
    const planned = new Set(runs.map((op) => op.key));
    const byRun = new Map<string, { sub: string | undefined; rows: PointsRow[] }>();
    let kept = 0;
    for (const row of res.rows) {
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
      const key = this.keyOf(row.run);
      let group = byRun.get(key);
      if (!group) byRun.set(key, (group = { sub: row.run, rows: [] }));
      group.rows.push(row);
      kept++;
    }
    for (const [key, group] of byRun) {
      if (this.ids.has(key) || planned.has(key)) continue;
      planned.add(key);
      runs.push({
        key,
        defaults: this.defaults(group.sub),
        patch: sanitizePatch(this.explicitPatch(group.sub)),
        scoped: true,
      });
    }
    const points = [...byRun].map(([runKey, group]) => ({ runKey, rows: group.rows }));
    const keys = [...new Set([...runs.map((op) => op.key), ...byRun.keys()])];
    return { commit: { scopes, runs, points }, kept, keys };
  }

  /** Records what a committed chunk wrote; returns the points written (new or replaced). */
  record(planned: PlannedChunk, result: ChunkResult): number {
    let points = 0;
    const rowsOf = new Map(planned.commit.points.map((p) => [p.runKey, p.rows]));
    for (const [key, written] of result.runs) {
      this.ids.set(key, written.id);
      let touched = this.touched.get(key);
      if (!touched)
        this.touched.set(key, (touched = { id: written.id, points: 0, series: new Set() }));
      const n = written.inserted + written.replaced;
      touched.points += n;
      points += n;
      if (n > 0)
        for (const r of rowsOf.get(key) ?? []) for (const k in r.metrics) touched.series.add(k);
    }
    return points;
  }
}
