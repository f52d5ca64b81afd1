import type { Forecast } from '@runcast/core';
import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import {
  addCalibrateOptions,
  type BandCalibration,
  describeBands,
  prepareCalibration,
} from '../calibration-option';
import { UsageError } from '../exit-codes';
import { formatCount, formatLoss, formatPercent } from '../format-number';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';
import { parseScheduleArg } from '../parse-schedule';

const MODELS = ['auto', 'mpl', 'mtl', 'power'] as const;

function band(d: { lo80: number; hi80: number }): string {
  return `${formatLoss(d.lo80)} .. ${formatLoss(d.hi80)}`;
}

function printForecast(name: string, f: Forecast): void {
  const d = f.diagnostics as {
    key?: string;
    reason?: string;
    groupDonors?: number;
    cache?: string;
    calibration?: BandCalibration;
    scheduleAssumption?: {
      source: string;
      detail: string;
      widened?: boolean;
      alternatives?: number;
    };
  };
  say(style.bold(`${name}  ${d.key ?? ''}  forecast`));
  say(
    `observed to step ${formatCount(f.observedUntil)} of ${formatCount(f.horizon)} (${formatPercent(
      Math.min(1, f.observedUntil / f.horizon),
    )}), model ${f.model}${d.groupDonors ? ` (shape from ${d.groupDonors} finished runs of its group)` : ''}`,
  );
  say(
    `${style.bold(`final loss ${formatLoss(f.final.mean)}`)}   80%: ${band(f.final)}   95%: ${formatLoss(
      f.final.lo95,
    )} .. ${formatLoss(f.final.hi95)}`,
  );
  if (f.whatIf) {
    const w = f.whatIf;
    say(
      `what-if ${w.schedule.kind}: final ${formatLoss(w.final.mean)} (80%: ${band(w.final)}), ` +
        `change ${w.delta.mean >= 0 ? '+' : ''}${formatLoss(w.delta.mean)} (80%: ${formatLoss(w.delta.lo80)} .. ${formatLoss(w.delta.hi80)})`,
    );
  }
  const future = f.curve.filter((p) => p.step >= f.observedUntil);
  const rows =
    future.length > 12
      ? future.filter((_, i) => i % Math.ceil(future.length / 10) === 0 || i === future.length - 1)
      : future;
  say();
  say(
    formatTable(rows, [
      { title: 'STEP', value: (p) => formatCount(p.step), align: 'right' },
      { title: 'MEAN', value: (p) => formatLoss(p.mean), align: 'right' },
      { title: '80% BAND', value: (p) => band(p), align: 'right' },
      {
        title: '95% BAND',
        value: (p) => `${formatLoss(p.lo95)} .. ${formatLoss(p.hi95)}`,
        align: 'right',
      },
    ]),
  );
  if (d.reason) say(style.dim(d.reason));
  const a = d.scheduleAssumption;
  if (a)
    say(
      style.dim(
        `future LR: ${a.source} - ${a.detail}${a.widened ? `; band widened by mixing the forecasts under ${a.alternatives} alternative schedule(s)` : ''}`,
      ),
    );
  const bands = describeBands(d.calibration, f.model);
  if (bands) say(bands);
}

export function addForecastCommand(program: Command): void {
  const command = program
    .command('forecast')
    .description("predict the rest of a run's loss curve and its final loss, with 80%/95% bands")
    .argument('<run>', 'run id, key or name')
    .option('--key <key>', "series to forecast (default: the run's loss)")
    .option(
      '--schedule <spec>',
      'LR schedule for the future, JSON inline or @file (default: declared)',
    )
    .option('--until <step>', 'hide points after STEP (a backtest)', parsePositiveInt)
    .option('--model <model>', 'auto|mpl|mtl|power', 'auto')
    .option('--what-if <spec>', 'another schedule to compare with (e.g. a cooldown from step X)')
    .option('--no-group', 'do not borrow the curve shape from finished runs of the group');
  addCalibrateOptions(command).action(async (ref: string, _opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<
      GlobalOptions & {
        key?: string;
        schedule?: string;
        until?: number;
        model: string;
        whatIf?: string;
        group: boolean;
        calibrate?: boolean;
      }
    >();
    const model = MODELS.find((m) => m === opts.model);
    if (!model)
      throw new UsageError(`--model must be one of ${MODELS.join('|')} (got "${opts.model}")`);
    const schedule = opts.schedule ? parseScheduleArg(opts.schedule) : undefined;
    const whatIf = opts.whatIf ? parseScheduleArg(opts.whatIf, '--what-if') : undefined;
    const { run, forecast } = await withBackend(opts, async ({ api, local }) => {
      await prepareCalibration(local, opts);
      const run = await api.runs.resolve({ ref });
      const forecast = await api.forecasts.get({
        runId: run.id,
        model,
        ...(opts.key ? { key: opts.key } : {}),
        ...(schedule ? { schedule } : {}),
        ...(opts.until !== undefined ? { until: opts.until } : {}),
        ...(whatIf ? { whatIf } : {}),
        ...(opts.group === false ? { group: false } : {}),
        ...(opts.calibrate === false ? { calibrate: false } : {}),
      });
      return { run, forecast };
    });
    if (opts.json) printJson({ run: run.id, ...forecast });
    else printForecast(`${run.name} (#${run.id})`, forecast);
  });
}
