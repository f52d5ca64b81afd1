// Test support: a real `runcast serve` (createServer from @runcast/api) on an ephemeral port, seeded
// with real curves from ../shared/data through the API's own push procedure. Test code only.
// biome-ignore lint/style/noRestrictedImports: test code creates temp dirs; the app never does.
import { mkdtempSync, rmSync } from 'node:fs';
// biome-ignore lint/style/noRestrictedImports: test code.
import { tmpdir } from 'node:os';
// biome-ignore lint/style/noRestrictedImports: test code.
import { join } from 'node:path';
import { createServer, openLocalApi, type RuncastServer, seedDemo } from '@runcast/api';
import type { ScheduleSpec } from '@runcast/core';
import { readCurve, type SharedCurve } from './read-curve';

export const DASHBOARD_DIST = new URL('../dist/', import.meta.url).pathname;

/** The curve's declared schedule as a ScheduleSpec (the parametric kinds the what-if panel edits). */
export function toScheduleSpec(curve: SharedCurve): ScheduleSpec {
  const s = curve.schedule;
  const base = { peak: s.peak_lr, warmup: s.warmup_steps, total: s.total_steps };
  if (s.kind === 'constant') return { kind: 'constant', ...base };
  if (s.kind === 'cosine' || s.kind === 'linear')
    return { kind: s.kind, ...base, final: s.final_lr };
  if (s.kind === 'wsd') {
    const shape = s.segments[s.segments.length - 1]?.shape;
    return {
      kind: 'wsd',
      ...base,
      decay: s.decay_steps,
      shape: shape === 'sqrt' || shape === 'cosine' || shape === 'exp' ? shape : 'linear',
      final: s.final_lr,
    };
  }
  return {
    kind: 'segments',
    segments: s.segments as ScheduleSpec['segments'],
    total: s.total_steps,
  };
}

export interface SeedRun {
  curve: string;
  /** Name of the run in the store (defaults to the curve id). */
  name?: string;
  /** Keep only this fraction of the points (a run in progress). */
  fraction?: number;
  status?: 'running' | 'finished';
  /** Keep only the first n points. */
  limit?: number;
  /** Log these metrics instead of val_loss + lr (e.g. a run without loss). */
  metricKey?: string;
  /** Declare the curve's exact `segments` schedule instead of its parametric kind. */
  segments?: boolean;
}

export interface SeededServer {
  server: RuncastServer;
  url: string;
  runIds: Map<string, number>;
  writeToken: string;
  readToken: string;
  dir: string;
  close(): Promise<void>;
}

export type PushBatch = Parameters<ReturnType<typeof openLocalApi>['caller']['ingest']['push']>[0];

const T0 = 1_760_000_000;

/** The push body that seeds one real curve as a run (val_loss + lr, or one named metric). */
export function buildSeedPush(run: SeedRun, project: string): PushBatch {
  const curve = readCurve(run.curve);
  let points = curve.points;
  if (run.fraction !== undefined)
    points = points.slice(0, Math.max(1, Math.round(points.length * run.fraction)));
  if (run.limit !== undefined) points = points.slice(0, run.limit);
  const key = run.metricKey;
  return {
    project,
    run: run.name ?? run.curve,
    group: curve.group,
    schedule: run.segments
      ? {
          kind: 'segments',
          total: curve.schedule.total_steps,
          segments: curve.schedule.segments as ScheduleSpec['segments'],
        }
      : toScheduleSpec(curve),
    status: run.status ?? 'finished',
    ...(curve.model.tokens_per_step ? { tokensPerStep: curve.model.tokens_per_step } : {}),
    ...(curve.model.params ? { params: curve.model.params } : {}),
    points: points.map(([step, loss, lr]) => ({
      step,
      time: T0 + step * 0.35,
      metrics: key ? { [key]: loss } : { val_loss: loss, lr },
    })),
  };
}

export async function startSeededServer(options: {
  runs: SeedRun[];
  /** Extra batches pushed as they are (synthetic runs for benches). */
  pushes?: PushBatch[];
  project?: string;
  dashboardDir?: string | null;
  /**
   * Bind address (default 127.0.0.1). A non-loopback one (0.0.0.0) makes the server require a
   * token for reads, as `runcast serve --host 0.0.0.0` without --public-read; `url` still
   * points at 127.0.0.1.
   */
  host?: string;
  /** Also fill the store with the simulated demo runs (`runcast demo`). */
  demo?: boolean;
  /** Config values by run name, set as a log source would report them. */
  configs?: Record<string, Record<string, unknown>>;
}): Promise<SeededServer> {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-dashboard-'));
  const api = openLocalApi({ db: join(dir, 'runcast.db') });
  for (const run of options.runs) {
    await api.caller.ingest.push(buildSeedPush(run, options.project ?? 'e2e'));
  }
  for (const batch of options.pushes ?? []) await api.caller.ingest.push(batch);
  if (options.demo) await seedDemo({ services: api.services });
  for (const [name, config] of Object.entries(options.configs ?? {})) {
    const { id } = await api.caller.runs.resolve({ ref: name });
    await api.services.runs.update({ id, patch: { config } });
  }
  const token = await api.caller.tokens.create({ name: 'e2e', scope: 'write' });
  const readToken = await api.caller.tokens.create({ name: 'e2e-read', scope: 'read' });
  const listed = await api.caller.runs.list({});
  const runIds = new Map(listed.map((r) => [r.name, r.id]));
  const server = await createServer({
    db: api.db,
    services: api.services,
    port: 0,
    ...(options.host ? { host: options.host } : {}),
    dashboardDir: options.dashboardDir === undefined ? DASHBOARD_DIST : options.dashboardDir,
  });
  return {
    server,
    url: `http://127.0.0.1:${server.port}`,
    runIds,
    writeToken: token.secret,
    readToken: readToken.secret,
    dir,
    async close() {
      await server.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
