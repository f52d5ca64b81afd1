import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AppCaller, openLocalApi, PushInput, type Services } from '@runcast/api';
import type { FileIssue, FileSummary, IngestSummary, ScheduleSpec } from '@runcast/core';
import { TRPCClientError } from '@trpc/client';

/** Points per push body sent by `ingest --server` (the Python client's default batch). */
export const PUSH_BATCH_POINTS = 10_000;
const MAX_LINE = 16 * 1024 * 1024;
const RETRIES = 8;

/** The first line of a file (up to 16 MiB), or null when it has none that long. */
function firstLine(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    const buf = Buffer.alloc(1024 * 1024);
    while (size < MAX_LINE) {
      const n = readSync(fd, buf, 0, buf.length, size);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      size += n;
      if (nl >= 0) break;
    }
    return Buffer.concat(chunks).toString('utf8').trim() || null;
  } finally {
    closeSync(fd);
  }
}

/**
 * A file of push bodies, one per line: the Python client's spool (`*.runcast-spool.jsonl`) or
 * anything written for `POST /api/v1/push`. Told apart from log files by its first line.
 */
export function isPushBodyFile(path: string): boolean {
  try {
    const line = firstLine(path);
    if (!line?.startsWith('{')) return false;
    const doc = JSON.parse(line) as Record<string, unknown>;
    return typeof doc.run === 'string' && Array.isArray(doc.points);
  } catch {
    return false;
  }
}

function statusOf(error: unknown): number | null {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    return typeof status === 'number' ? status : null;
  }
  return 0; // not an answer from the server: a trusted in-process caller never gets here
}

/** One push, retried with backoff on 429, 5xx and network errors (pushes are idempotent). */
async function pushOnce(api: AppCaller, body: PushInput): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await api.ingest.push(body)).accepted;
    } catch (e) {
      const status = statusOf(e);
      const retryable = status === null || status === 429 || status >= 500;
      if (!retryable || attempt >= RETRIES || !(e instanceof TRPCClientError)) throw e;
      await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
    }
  }
}

/** Sends each line of a push-body file; a bad line is reported with its number, the rest go on. */
export async function pushBodyFile(api: AppCaller, path: string): Promise<FileSummary> {
  const errors: FileIssue[] = [];
  let points = 0;
  let rows = 0;
  let bytes = 0;
  const runs = new Set<string>();
  let line = 0;
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of lines) {
    line++;
    bytes += Buffer.byteLength(text) + 1;
    if (!text.trim()) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      errors.push({
        level: 'error',
        line,
        message: `not JSON (${(e as Error).message}); a line cut by a kill is skipped`,
      });
      continue;
    }
    const parsed = PushInput.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      errors.push({
        level: 'error',
        line,
        field,
        message: `${field}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    try {
      points += await pushOnce(api, doc as PushInput);
      rows++;
      runs.add(parsed.data.run);
    } catch (e) {
      errors.push({ level: 'error', line, message: (e as Error).message });
    }
  }
  const status = errors.length === 0 ? 'completed' : rows > 0 ? 'partial' : 'failed';
  return { path, format: 'runcast-push', status, points, rows, bytes, runs: [...runs], errors };
}

/** A locally parsed run as push bodies of at most PUSH_BATCH_POINTS points (metrics per step). */
async function* runBodies(services: Services, runId: number): AsyncGenerator<PushInput> {
  const run = await services.runs.byId(runId);
  const byStep = new Map<number, { metrics: Record<string, number | null>; time?: number }>();
  for (const s of run.series) {
    const cols = await services.columns.get({ runId, key: s.key });
    if (!cols) continue;
    for (let i = 0; i < cols.length; i++) {
      const step = cols.steps[i]!;
      let p = byStep.get(step);
      if (!p) {
        // Null prototype: a metric named __proto__ is a key like any other.
        p = { metrics: Object.create(null) as Record<string, number | null> };
        byStep.set(step, p);
      }
      const v = cols.values[i]!;
      p.metrics[s.key] = Number.isNaN(v) ? null : v;
      const wall = cols.wallTimes[i]!;
      if (Number.isFinite(wall)) p.time = wall;
    }
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const head: Omit<PushInput, 'points'> = {
    project: run.project,
    run: run.name,
    ...(run.group ? { group: run.group } : {}),
    ...(run.schedule ? { schedule: run.schedule as ScheduleSpec } : {}),
    ...(run.params ? { params: run.params } : {}),
    ...(run.tokensPerStep ? { tokensPerStep: run.tokensPerStep } : {}),
    ...(Object.keys(run.config).length ? { config: run.config } : {}),
    ...(run.tags.length ? { tags: run.tags } : {}),
    ...(Object.keys(run.summary).length ? { summary: run.summary } : {}),
  };
  const status = run.status === 'running' ? undefined : run.status;
  for (let at = 0; at === 0 || at < steps.length; at += PUSH_BATCH_POINTS) {
    const last = at + PUSH_BATCH_POINTS >= steps.length;
    yield {
      ...(at === 0 ? head : { project: run.project, run: run.name }),
      ...(last && status ? { status } : {}),
      points: steps.slice(at, at + PUSH_BATCH_POINTS).map((step) => {
        const p = byStep.get(step)!;
        return { step, metrics: p.metrics, ...(p.time === undefined ? {} : { time: p.time }) };
      }),
    };
  }
}

/**
 * `ingest --server`: parses the log files here (every plugin, into a throw-away local store) and
 * pushes each run they hold, in batches, under its name. Idempotent like the push API: pushing
 * the same files again replaces the points with the same values.
 */
export async function pushLogFiles(options: {
  api: AppCaller;
  paths: string[];
  ingest: Omit<Parameters<Services['ingest']['ingestFiles']>[0], 'paths'>;
  migrationsFolder: string;
}): Promise<IngestSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-push-'));
  const local = openLocalApi({
    db: join(dir, 'parse.db'),
    migrationsFolder: options.migrationsFolder,
  });
  try {
    const summary = await local.services.ingest.ingestFiles({
      ...options.ingest,
      paths: options.paths,
    });
    const sent = new Map<string, number>();
    for (const run of await local.services.runs.list({})) {
      let points = 0;
      for await (const body of runBodies(local.services, run.id))
        points += await pushOnce(options.api, body);
      sent.set(run.key, points);
    }
    for (const file of summary.files) {
      file.points = file.runs.reduce((n, key) => n + (sent.get(key) ?? 0), 0);
    }
    return { ...summary, points: [...sent.values()].reduce((a, b) => a + b, 0) };
  } finally {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
