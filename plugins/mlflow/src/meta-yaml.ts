import type { RunInfo, RunStatus } from '@runcast/core';

/** mlflow/protos/service.proto RunStatus: 1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED. */
const STATUS: Record<string, RunStatus> = {
  '1': 'running',
  RUNNING: 'running',
  '2': 'unknown',
  SCHEDULED: 'unknown',
  '3': 'finished',
  FINISHED: 'finished',
  '4': 'crashed',
  FAILED: 'crashed',
  '5': 'crashed',
  KILLED: 'crashed',
};

/** A run's meta.yaml: name (2.x `run_name`), status, ids into the config. */
export function readRunMeta(doc: Record<string, unknown>): RunInfo {
  const info: RunInfo = {};
  const name = doc.run_name ?? doc.name;
  if (typeof name === 'string' && name.trim() !== '') info.name = name;
  const status = STATUS[String(doc.status)];
  if (status) info.status = status;
  const config: Record<string, unknown> = {};
  for (const key of [
    'run_id',
    'experiment_id',
    'start_time',
    'end_time',
    'user_id',
    'lifecycle_stage',
  ]) {
    if (doc[key] !== undefined) config[`mlflow.${key}`] = doc[key];
  }
  info.config = config;
  return info;
}

/** What a `tags/<key>` file sets: `mlflow.runName` the name, `mlflow.parentRunId` the group. */
export function readTag(key: string, value: string): RunInfo {
  if (key === 'mlflow.runName' && value.trim() !== '') return { name: value.trim() };
  if (key === 'mlflow.parentRunId' && value.trim() !== '') {
    return { group: value.trim(), config: { [`tags/${key}`]: value } };
  }
  return { config: { [`tags/${key}`]: value } };
}
