import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { addCalibrateOptions, describeBands, prepareCalibration } from '../calibration-option';
import { UsageError } from '../exit-codes';
import { formatCount, formatLoss, formatPercent } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';
import { parseNumberList } from '../parse-args';

export function addBacktestCommand(program: Command): void {
  const command = program
    .command('backtest')
    .description(
      'forecast a finished run from cuts at fractions of its steps and compare with what happened',
    )
    .argument('<run>', 'run id, key or name')
    .option(
      '--at <fractions>',
      'cut points as fractions of the steps',
      parseNumberList,
      [0.2, 0.4, 0.6, 0.8],
    )
    .option('--key <key>', "series (default: the run's loss)");
  addCalibrateOptions(command).action(async (ref: string, _opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<
      GlobalOptions & { at: number[]; key?: string; calibrate?: boolean }
    >();
    if (opts.at.some((a) => !(a > 0 && a < 1))) {
      throw new UsageError(
        `--at takes fractions strictly between 0 and 1 (got ${opts.at.join(',')})`,
      );
    }
    const { run, result } = await withBackend(opts, async ({ api, local }) => {
      await prepareCalibration(local, opts);
      const run = await api.runs.resolve({ ref });
      const result = await api.forecasts.backtest({
        runId: run.id,
        at: opts.at,
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.calibrate === false ? { calibrate: false } : {}),
      });
      return { run, result };
    });
    if (opts.json) {
      printJson(result);
      return;
    }
    say(style.bold(`${run.name} (#${run.id})  ${result.key}  backtest`));
    say(`actual final loss ${formatLoss(result.actual)} at step ${formatCount(result.finalStep)}`);
    say(
      formatTable(result.cuts, [
        { title: 'CUT', value: (c) => formatPercent(c.at), align: 'right' },
        { title: 'STEP', value: (c) => formatCount(c.step), align: 'right' },
        { title: 'FORECAST', value: (c) => formatLoss(c.final?.mean), align: 'right' },
        {
          title: '80% BAND',
          value: (c) =>
            c.final ? `${formatLoss(c.final.lo80)} .. ${formatLoss(c.final.hi80)}` : '-',
          align: 'right',
        },
        { title: 'ACTUAL', value: (c) => formatLoss(c.actual), align: 'right' },
        {
          title: 'ERROR',
          value: (c) =>
            c.skipped
              ? style.dim('after the run ended')
              : c.relError === null
                ? style.red(c.error ?? 'failed')
                : formatPercent(c.relError),
          align: 'right',
        },
        {
          title: 'IN 80%',
          value: (c) => (c.covered80 === null ? '-' : c.covered80 ? 'yes' : style.yellow('no')),
        },
        { title: 'MODEL', value: (c) => c.model },
      ]),
    );
    const bands = describeBands(result.calibration, result.model);
    if (bands) say(bands);
  });
}
