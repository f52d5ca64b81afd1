import type {
  JsonObject,
  Run,
  RunStatus,
  ScheduleSpec,
  StatusSource,
  StepsPlannedSource,
  StopVerdict,
} from '@runcast/core';

/** The runs row joined with its project name, as selected by the run repositories. */
export interface RunRow {
  id: number;
  key: string;
  project: string;
  name: string;
  group: string | null;
  status: string;
  config: string;
  tags: string;
  notes: string;
  schedule: string | null;
  params: number | null;
  tokens_per_step: number | null;
  status_source: string | null;
  steps_planned: number | null;
  steps_planned_source: string | null;
  summary: string;
  stop_verdict: string | null;
  created_at: number;
  updated_at: number;
}

export const RUN_COLUMNS = `r.id, r.key, p.name AS project, r.name, r."group", r.status, r.config, r.tags,
  r.notes, r.schedule, r.params, r.tokens_per_step, r.status_source, r.steps_planned, r.steps_planned_source,
  r.summary, r.stop_verdict, r.created_at, r.updated_at`;

export const RUN_FROM = 'runs r JOIN projects p ON p.id = r.project_id';

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    key: row.key,
    project: row.project,
    name: row.name,
    group: row.group,
    status: row.status as RunStatus,
    statusSource: row.status_source as StatusSource | null,
    config: JSON.parse(row.config) as JsonObject,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    schedule: row.schedule === null ? null : (JSON.parse(row.schedule) as ScheduleSpec),
    params: row.params,
    tokensPerStep: row.tokens_per_step,
    stepsPlanned: row.steps_planned,
    stepsPlannedSource: row.steps_planned_source as StepsPlannedSource | null,
    summary: JSON.parse(row.summary) as JsonObject,
    stopVerdict: row.stop_verdict === null ? null : (JSON.parse(row.stop_verdict) as StopVerdict),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
