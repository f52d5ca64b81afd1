import type { RunSummary } from '@runcast/api';
import { PLAN_KEY, type StepsPlannedSource, TRAINER_KEY } from '@runcast/core';
import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { formatAgo, formatCount, formatLoss } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';

const PLAN_SOURCE: Record<StepsPlannedSource, string> = {
  declared: 'declared',
  'log-metadata': 'stated in the logs',
  'logged-lr': 'read from the logged LR',
};

/** Which setting stated the plan (`max_steps`, `epochs`, `epoch N/T`), when the logs did. */
function statedKey(run: RunSummary): string | undefined {
  if (run.stepsPlannedSource !== 'log-metadata') return undefined;
  const own = run.config[PLAN_KEY] as { key?: unknown } | undefined;
  if (typeof own?.key === 'string') return own.key;
  // A key that states a count: HF's `max_steps: -1` is "not set" (its num_train_epochs is the plan).
  return STATED_KEYS.find((k) => {
    const value = Number(run.config[k]);
    return Number.isInteger(value) && value > 0;
  });
}
const STATED_KEYS = [
  'max_steps',
  'total_steps',
  'num_iterations',
  'max_iters',
  'train_iters',
  'max_epochs',
  'num_train_epochs',
  'epochs',
  'num_epochs',
];

/** The verdict that stopped a run: `stop at step 400 vs target 2.0: P(...) = 0.1% (reason)`. */
function describeStopVerdict(v: NonNullable<RunSummary['stopVerdict']>): string {
  const against = v.target != null ? ` vs target ${v.target}` : v.vs != null ? ` vs ${v.vs}` : '';
  const at = v.step != null ? ` at step ${formatCount(v.step)}` : '';
  const p = v.probability != null ? `, P = ${(v.probability * 100).toFixed(1)}%` : '';
  return `${v.verdict}${at}${against}${p}${v.reason ? ` - ${v.reason}` : ''}`;
}

function printRun(run: RunSummary): void {
  const stated = statedKey(run);
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
    `${formatCount(run.stepsDone)}${run.stepsPlanned ? ` of ${formatCount(run.stepsPlanned)} planned` : ''}${run.stepsPlannedSource ? ` (${PLAN_SOURCE[run.stepsPlannedSource]}${stated ? `: ${stated}` : ''})` : ''}`,
  );
  const trainer = run.config[TRAINER_KEY];
  if (typeof trainer === 'string') field('written by', trainer);
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
  if (run.lossKey) {
    const others = run.lossKeys.filter((k) => k !== run.lossKey);
    say(
      style.dim(
        `* forecast target (loss key: the densest training loss)${others.length ? `; --key can choose ${others.join(', ')}` : ''}; LR key: ${run.lrKey ?? 'none'}`,
      ),
    );
  }
  const summary = Object.entries(run.summary);
  if (summary.length > 0) {
    say();
    say(style.dim('run summary (values without a step)'));
    for (const [key, value] of summary)
      field(key, typeof value === 'number' ? formatLoss(value) : JSON.stringify(value));
  }
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
