import { statSync } from 'node:fs';
import type { FileSummary, IngestSummary } from '@runcast/core';
import type { Command } from 'commander';
import { type GlobalOptions, openBackend, resolveMigrationsFolder } from '../backend';
import { EXIT, UsageError } from '../exit-codes';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';
import { checkNameFlags, parseMinutes } from '../parse-args';
import { parseScheduleArg } from '../parse-schedule';
import { createIngestProgress } from '../progress-bar';
import { isPushBodyFile, pushBodyFile, pushLogFiles } from '../push-files';

interface IngestFlags extends GlobalOptions {
  format?: string;
  project?: string;
  run?: string;
  group?: string;
  schedule?: string;
  watch?: boolean;
  staleAfter: number;
}

const STATUS_STYLE: Record<string, (t: string) => string> = {
  completed: style.green,
  partial: style.yellow,
  failed: style.red,
};

/**
 * A file no plugin recognised (an image, weights, a side file), or one a plugin took by its name
 * only (a model checkpoint): counted, not listed.
 */
function isNotALog(f: FileSummary): boolean {
  return (
    f.status === 'skipped' &&
    f.format === null &&
    (f.sideFileOf !== undefined ||
      f.errors.some((e) => e.message.startsWith('no plugin recognises')))
  );
}

/** `skipped 7 files that are not logs (3 .png, 2 .pt, 2 .yaml)`. */
function describeNotLogs(files: readonly FileSummary[]): string {
  const byExt = new Map<string, number>();
  for (const f of files) {
    const ext = /\.[^./\\]+$/.exec(f.path)?.[0].toLowerCase() ?? '(no extension)';
    byExt.set(ext, (byExt.get(ext) ?? 0) + 1);
  }
  const kinds = [...byExt].sort((a, b) => b[1] - a[1]).map(([ext, n]) => `${n} ${ext}`);
  return `skipped ${files.length} file(s) that are not logs (${kinds.join(', ')})`;
}

function printSummary(summary: IngestSummary): void {
  const notLogs = summary.files.filter(isNotALog);
  const listed = summary.files.filter((f) => !isNotALog(f));
  say(
    formatTable(listed, [
      { title: 'FILE', value: (f: FileSummary) => f.path },
      { title: 'FORMAT', value: (f) => f.format ?? '-' },
      { title: 'STATUS', value: (f) => (STATUS_STYLE[f.status] ?? String)(f.status) },
      { title: 'POINTS', value: (f) => f.points.toLocaleString('en-US'), align: 'right' },
      { title: 'ERRORS', value: (f) => String(f.errors.length), align: 'right' },
    ]),
  );
  for (const file of listed) {
    for (const issue of file.errors.slice(0, 5)) {
      const where =
        issue.line !== undefined
          ? `:${issue.line}`
          : issue.offset !== undefined
            ? ` @${issue.offset}`
            : '';
      const color = issue.level === 'error' ? style.red : style.yellow;
      say(color(`  ${file.path}${where}: ${issue.message}`));
    }
    if (file.errors.length > 5)
      say(style.dim(`  ... and ${file.errors.length - 5} more in ${file.path}`));
  }
  if (notLogs.length > 0) say(style.dim(describeNotLogs(notLogs)));
  say(
    `${summary.points.toLocaleString('en-US')} points written from ${listed.length} file(s): ${summary.status}`,
  );
}

/** One summary for push-body files and log files ingested in one command. */
function mergeSummaries(parts: IngestSummary[]): IngestSummary {
  const files = parts.flatMap((p) => p.files);
  const failed = files.filter((f) => f.status === 'failed').length;
  const bad = files.filter((f) => f.status === 'failed' || f.status === 'partial').length;
  return {
    status:
      files.length > 0 && failed === files.length ? 'failed' : bad > 0 ? 'partial' : 'completed',
    files,
    points: parts.reduce((n, p) => n + p.points, 0),
  };
}

/** Splits the arguments: files of push bodies (the Python client's spool) and everything else. */
function splitPushBodyFiles(paths: string[]): { bodies: string[]; logs: string[] } {
  const bodies: string[] = [];
  const logs: string[] = [];
  for (const path of paths) {
    let file = false;
    try {
      file = statSync(path).isFile();
    } catch {
      // missing: the ingest summary reports it
    }
    (file && isPushBodyFile(path) ? bodies : logs).push(path);
  }
  return { bodies, logs };
}

export function addIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'read training logs (or push-body files such as the Python client spool) into the store; --server pushes them over HTTP (idempotent)',
    )
    .argument('<path...>', 'log files or folders')
    .option(
      '--format <name>',
      'auto, or a plugin name (jsonl, csv, tensorboard, wandb, hf-trainer, lightning, mlflow, text)',
      'auto',
    )
    .option('--project <name>', 'project of the runs')
    .option('--run <name>', 'run name (the run key still comes from the path)')
    .option('--group <group>', 'group of runs of one model/data (shared forecast shape)')
    .option('--schedule <spec>', 'declared LR schedule, JSON inline or @file')
    .option('--watch', 'keep tailing the files and picking up new ones (Ctrl-C to stop)')
    .option(
      '--stale-after <minutes>',
      'with --watch: a run marked running whose files stop growing this long is stopped (finished if it reached its plan)',
      parseMinutes,
      10 * 60_000,
    )
    .action(async (paths: string[], _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<IngestFlags>();
      checkNameFlags(opts);
      const schedule = opts.schedule ? parseScheduleArg(opts.schedule) : undefined;
      const backend = await openBackend(opts);
      const runOptions = {
        ...(opts.format && opts.format !== 'auto' ? { format: opts.format } : {}),
        ...(opts.project ? { project: opts.project } : {}),
        ...(opts.run ? { run: opts.run } : {}),
        ...(opts.group ? { group: opts.group } : {}),
        ...(schedule ? { schedule } : {}),
      };
      const { bodies, logs } = splitPushBodyFiles(paths);
      const parts: IngestSummary[] = [];
      for (const path of bodies) {
        const file = await pushBodyFile(backend.api, path);
        parts.push({ status: 'completed', files: [file], points: file.points });
      }
      if (!backend.local) {
        if (opts.watch) {
          await backend.close();
          throw new UsageError('--watch reads into a local store: drop --server (or --watch)');
        }
        if (logs.length > 0) {
          parts.push(
            await pushLogFiles({
              api: backend.api,
              paths: logs,
              ingest: runOptions,
              migrationsFolder: resolveMigrationsFolder(),
            }),
          );
        }
        const summary = mergeSummaries(parts);
        if (opts.json) printJson(summary);
        else printSummary(summary);
        if (summary.status === 'failed') process.exitCode = EXIT.error;
        return;
      }
      const ingest = backend.local.ingest;
      const progress = createIngestProgress();
      let summary: IngestSummary;
      try {
        if (logs.length > 0) {
          parts.push(
            await ingest.ingestFiles({
              paths: logs,
              ...runOptions,
              onProgress: (p) => progress.update(p),
            }),
          );
        }
        summary = mergeSummaries(parts);
      } finally {
        progress.stop();
      }
      if (opts.json) printJson(summary);
      else printSummary(summary);
      if (!opts.watch) {
        await backend.close();
        if (summary.status === 'failed') process.exitCode = EXIT.error;
        return;
      }
      const watcher = ingest.watchPaths({
        paths: logs,
        ...runOptions,
        staleAfterMs: opts.staleAfter,
        onEvent: (event) => {
          if (event.type === 'points')
            say(`${event.runKey}: +${event.points} points (${event.series.join(', ')})`);
          else if (event.type === 'error') say(style.red(`${event.path ?? ''}: ${event.message}`));
          else if (event.type === 'file') {
            // What a pass found (a file replaced by a shorter one, lines not read...).
            for (const issue of event.summary.errors) {
              const color = issue.level === 'error' ? style.red : style.yellow;
              say(color(`${event.summary.path}: ${issue.message}`));
            }
          }
        },
      });
      await watcher.ready;
      say(style.dim(`Watching ${paths.join(', ')} (Ctrl-C to stop)`));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await watcher.close();
      await backend.close();
    });
}
