import type { RunSummary } from '@runcast/api';
import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { formatAgo, formatCount, formatLoss } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';

/** The verdict that stopped a run: `stop at step 400 vs target 2.0: P(...) = 0.1% (reason)`. */
function describeStopVerdict(v: NonNullable<RunSummary['stopVerdict']>): string {
  const against = v.target != null ? ` vs target ${v.target}` : v.vs != null ? ` vs ${v.vs}` : '';
  const at = v.step != null ? ` at step ${formatCount(v.step)}` : '';
  const p = v.probability != null ? `, P = ${(v.probability * 100).toFixed(1)}%` : '';
  return `${v.verdict}${at}${against}${p}${v.reason ? ` - ${v.reason}` : ''}`;
}

function printRun(run: RunSummary): void {
  const field = (name: string, value: string) => say(`${style.dim(name.padEnd(10))} ${value}`);
  say(style.bold(`${run.name}  (#${run.id})`));
  field('project', run.project);
  field(
    'status',
    `${run.status}${run.statusSource ? style.dim(` (from ${run.statusSource})`) : ''}`,
  );
  if (run.stopVerdict) field('stopped by', describeStopVerdict(run.stopVerdict));
  field('group', run.group ?? '-');
  field('key', run.key);
  field(
    'steps',
    `${formatCount(run.stepsDone)}${run.stepsPlanned ? ` of ${formatCount(run.stepsPlanned)} planned` : ''}${run.stepsPlannedSource === 'logged-lr' ? ' (read from the logged LR)' : ''}`,
  );
  field(
    'schedule',
    run.schedule
      ? JSON.stringify(run.schedule)
      : '- (inferred from the logged LR when there is one)',
  );
  if (run.params) field('params', formatCount(run.params));
  if (run.tags.length) field('tags', run.tags.join(', '));
  if (run.notes) field('notes', run.notes);
  field('updated', formatAgo(run.updatedAt));
  say();
  say(
    formatTable(run.series, [
      { title: 'SERIES', value: (s) => (s.key === run.lossKey ? `${s.key} *` : s.key) },
      { title: 'POINTS', value: (s) => String(s.points), align: 'right' },
      { title: 'FIRST', value: (s) => formatCount(s.firstStep), align: 'right' },
      { title: 'LAST', value: (s) => formatCount(s.lastStep), align: 'right' },
      { title: 'LAST VALUE', value: (s) => formatLoss(s.lastValue), align: 'right' },
    ]),
  );
  if (run.lossKey) say(style.dim(`* forecast target (loss key); LR key: ${run.lrKey ?? 'none'}`));
}

export function addShowCommand(program: Command): void {
  program
    .command('show')
    .description('one run: metadata, schedule and series')
    .argument('<run>', 'run id, key or name')
    .action(async (ref: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const run = await withBackend(opts, ({ api }) => api.runs.resolve({ ref }));
      if (opts.json) printJson(run);
      else printRun(run);
    });
}
