import type { RunSummary } from '@runcast/api';
import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { formatAgo, formatCount, formatLoss } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';

const STATUS_STYLE: Record<string, (t: string) => string> = {
  running: style.green,
  finished: (t) => t,
  crashed: style.red,
  unknown: style.dim,
};

function stepsOf(run: RunSummary): string {
  const done = formatCount(run.stepsDone);
  return run.stepsPlanned ? `${done}/${formatCount(run.stepsPlanned)}` : done;
}

export function printRunsTable(runs: readonly RunSummary[]): void {
  if (runs.length === 0) {
    say('No runs yet. Ingest a log (runcast ingest <file>) or try: runcast demo');
    return;
  }
  say(
    formatTable(runs, [
      { title: 'ID', value: (r) => String(r.id), align: 'right' },
      { title: 'NAME', value: (r) => r.name },
      { title: 'PROJECT', value: (r) => r.project },
      { title: 'STATUS', value: (r) => (STATUS_STYLE[r.status] ?? String)(r.status) },
      { title: 'GROUP', value: (r) => r.group ?? '-' },
      { title: 'STEPS', value: stepsOf, align: 'right' },
      {
        title: 'LOSS',
        value: (r) => formatLoss(r.series.find((s) => s.key === r.lossKey)?.lastValue),
        align: 'right',
      },
      { title: 'SERIES', value: (r) => String(r.series.length), align: 'right' },
      { title: 'UPDATED', value: (r) => formatAgo(r.updatedAt), align: 'right' },
    ]),
  );
}

export function addRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('list runs (newest first) with their series and last loss')
    .option('--project <name>', 'only runs of this project')
    .option('--status <status>', 'only runs with this status (running|finished|crashed|unknown)')
    .option('--group <group>', 'only runs of this group')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--search <text>', 'name or key contains text')
    .option('--sort <field>', 'updated|name|status|created', 'created')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & {
          project?: string;
          status?: 'running' | 'finished' | 'stopped' | 'crashed' | 'unknown';
          group?: string;
          tag?: string;
          search?: string;
          sort?: 'updated' | 'name' | 'status' | 'created';
        }
      >();
      const runs = await withBackend(opts, ({ api }) =>
        api.runs.list({
          ...(opts.project ? { project: opts.project } : {}),
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.group ? { group: opts.group } : {}),
          ...(opts.tag ? { tag: opts.tag } : {}),
          ...(opts.search ? { search: opts.search } : {}),
          ...(opts.sort ? { sort: opts.sort } : {}),
        }),
      );
      if (opts.json) printJson(runs);
      else printRunsTable(runs);
    });
}
