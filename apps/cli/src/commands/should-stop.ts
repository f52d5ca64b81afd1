import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import {
  addCalibrateOptions,
  type BandCalibration,
  describeBands,
  prepareCalibration,
} from '../calibration-option';
import { EXIT, UsageError } from '../exit-codes';
import { formatCount, formatLoss, formatPercent } from '../format-number';
import { printJson, say, style } from '../output';
import { parseNumber } from '../parse-args';

const VERDICT_LINE = {
  stop: (t: string) => style.red(style.bold(t)),
  continue: (t: string) => style.green(style.bold(t)),
  undecided: (t: string) => style.yellow(style.bold(t)),
};

export function addShouldStopCommand(program: Command): void {
  const command = program
    .command('should-stop')
    .description('early-stopping verdict: exit 0 = keep training, 3 = stop recommended')
    .argument('<run>', 'run id, key or name')
    .option('--target <loss>', 'succeed if the final loss ends below LOSS', parseNumber)
    .option('--vs <run>', '"best" (the best run of its group) or another run (id, key or name)')
    .option('--confidence <c>', 'how sure a verdict must be, in (0.5, 1)', parseNumber, 0.95)
    .option('--key <key>', "series (default: the run's loss)");
  addCalibrateOptions(command).action(async (ref: string, _opts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<
      GlobalOptions & {
        target?: number;
        vs?: string;
        confidence: number;
        key?: string;
        calibrate?: boolean;
      }
    >();
    if ((opts.target === undefined) === (opts.vs === undefined)) {
      throw new UsageError('give exactly one of --target LOSS or --vs best|<run>');
    }
    if (!(opts.confidence > 0.5 && opts.confidence < 1)) {
      throw new UsageError(`--confidence must be in (0.5, 1) (got ${opts.confidence})`);
    }
    if (opts.target !== undefined && !(opts.target > 0)) {
      throw new UsageError(`--target must be a positive loss (got ${opts.target})`);
    }
    const { run, result } = await withBackend(opts, async ({ api, local }) => {
      await prepareCalibration(local, opts);
      const run = await api.runs.resolve({ ref });
      const vs =
        opts.vs === undefined
          ? undefined
          : opts.vs === 'best'
            ? ('best' as const)
            : (await api.runs.resolve({ ref: opts.vs })).id;
      const result = await api.decisions.shouldStop({
        runId: run.id,
        confidence: opts.confidence,
        ...(opts.target !== undefined ? { target: opts.target } : {}),
        ...(vs !== undefined ? { vs } : {}),
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.calibrate === false ? { calibrate: false } : {}),
      });
      return { run, result };
    });
    if (opts.json) {
      printJson({ run: run.id, ...result });
    } else {
      const what =
        result.verdict === 'stop'
          ? 'STOP: stopping is recommended'
          : result.verdict === 'continue'
            ? 'KEEP TRAINING: on track'
            : 'KEEP TRAINING: not decided yet';
      say(VERDICT_LINE[result.verdict](what));
      say(
        `${run.name} (#${run.id}) at step ${formatCount(result.observedUntil)} of ${formatCount(result.horizon)}`,
      );
      say(
        `forecast final loss ${formatLoss(result.final.mean)} (80%: ${formatLoss(result.final.lo80)} .. ${formatLoss(result.final.hi80)})`,
      );
      const bar =
        opts.target !== undefined
          ? `final loss below ${opts.target}`
          : opts.vs === 'best'
            ? 'beats the best other run'
            : `beats run ${opts.vs}`;
      say(`P(${bar}) = ${formatPercent(result.probability)}`);
      if (result.decidableAtStep !== null)
        say(`expected to be decidable near step ${formatCount(result.decidableAtStep)}`);
      say(style.dim(result.reason));
      const bands = describeBands(result.calibration as BandCalibration | undefined, result.model);
      if (bands) say(bands);
    }
    process.exitCode = result.verdict === 'stop' ? EXIT.stop : EXIT.ok;
  });
}
