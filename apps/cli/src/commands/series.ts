import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { UsageError } from '../exit-codes';
import { formatLoss } from '../format-number';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';

export function addSeriesCommand(program: Command): void {
  program
    .command('series')
    .description('points of one series of a run (min/max downsampled to --max-points)')
    .argument('<run>', 'run id, key or name')
    .option('--key <key>', "series key (default: the run's loss)")
    .option('--max-points <n>', 'point budget (default 2000, max 20000)', parsePositiveInt)
    .option('--from <step>', 'first step', parsePositiveInt)
    .option('--to <step>', 'last step', parsePositiveInt)
    .action(async (ref: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & { key?: string; maxPoints?: number; from?: number; to?: number }
      >();
      const result = await withBackend(opts, async ({ api }) => {
        const run = await api.runs.resolve({ ref });
        const key = opts.key ?? run.lossKey;
        if (!key)
          throw new UsageError(
            `run ${run.id} has no loss series; pass --key (one of: ${run.series.map((s) => s.key).join(', ')})`,
          );
        const series = await api.series.points({
          runId: run.id,
          key,
          ...(opts.maxPoints ? { maxPoints: opts.maxPoints } : {}),
          ...(opts.from !== undefined ? { from: opts.from } : {}),
          ...(opts.to !== undefined ? { to: opts.to } : {}),
        });
        return { run, series };
      });
      const { run, series } = result;
      if (opts.json) {
        printJson({
          run: run.id,
          runName: run.name,
          key: series.key,
          total: series.total,
          downsampled: series.downsampled,
          points: series.points,
        });
        return;
      }
      say(style.bold(`${run.name} (#${run.id})  ${series.key}`));
      say(
        style.dim(
          `${series.total} points${series.downsampled ? `, shown ${series.points.length} (min/max per bucket)` : ''}`,
        ),
      );
      const shown = pickEvenly(series.points, 30);
      for (const [step, value] of shown) {
        say(`${String(step).padStart(10)}  ${formatLoss(value).padStart(10)}`);
      }
      if (shown.length < series.points.length) {
        say(
          style.dim(
            `(${shown.length} of ${series.points.length} rows shown; --json prints them all)`,
          ),
        );
      }
    });
}

/** At most n items, evenly spaced, always keeping the first and the last. */
function pickEvenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from(
    { length: n },
    (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!,
  );
}
