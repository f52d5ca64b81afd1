import type { Command } from 'commander';
import { type GlobalOptions, withBackend } from '../backend';
import { UsageError } from '../exit-codes';
import { formatTable } from '../format-table';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';
import { readScalingCsv } from '../read-scaling-csv';

function sci(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0)
    ? x.toExponential(3)
    : x.toPrecision(4);
}

export function addScalingCommand(program: Command): void {
  program
    .command('scaling')
    .description(
      'fit L(N, D) = E + A/N^alpha + B/D^beta across runs, with bootstrap intervals and N*(C), D*(C)',
    )
    .argument(
      '[points.csv]',
      'CSV with columns N, D, loss (aliases params/model_size_params, tokens/training_tokens)',
    )
    .option('--project <name>', 'use the final losses of finished runs of this project instead')
    .option('--resamples <n>', 'bootstrap resamples', parsePositiveInt, 200)
    .option(
      '--drop-highest <n>',
      'leave out the n highest-loss points first (Besiroglu et al. drop 5 of the 245 Chinchilla points)',
      parsePositiveInt,
    )
    .action(async (file: string | undefined, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & { project?: string; resamples: number; dropHighest?: number }
      >();
      if ((file === undefined) === (opts.project === undefined)) {
        throw new UsageError('give a points CSV or --project P (one of them)');
      }
      const read = file ? readScalingCsv(file) : undefined;
      const points =
        read && opts.dropHighest
          ? [...read]
              .sort((a, b) => a.loss - b.loss)
              .slice(0, Math.max(0, read.length - opts.dropHighest))
          : read;
      const result = await withBackend(opts, ({ api }) =>
        api.scaling.fit({
          resamples: opts.resamples,
          ...(points ? { points } : {}),
          ...(opts.project ? { project: opts.project } : {}),
        }),
      );
      if (opts.json) {
        printJson(result);
        return;
      }
      say(style.bold(`L(N, D) = E + A / N^alpha + B / D^beta   (${result.points} points)`));
      const names = ['E', 'A', 'B', 'alpha', 'beta'] as const;
      say(
        formatTable(
          names.map((n) => ({ n, v: result[n], ci: result.ci95?.[n] ?? null })),
          [
            { title: 'PARAM', value: (r) => r.n },
            { title: 'ESTIMATE', value: (r) => sci(r.v), align: 'right' },
            {
              title: '95% CI',
              value: (r) => (r.ci ? `${sci(r.ci[0])} .. ${sci(r.ci[1])}` : '-'),
              align: 'right',
            },
          ],
        ),
      );
      if (result.optimal.length > 0) {
        say();
        say(
          formatTable(result.optimal, [
            { title: 'COMPUTE (FLOP)', value: (o) => o.C.toExponential(0), align: 'right' },
            { title: 'N*', value: (o) => sci(o.N), align: 'right' },
            { title: 'D*', value: (o) => sci(o.D), align: 'right' },
            { title: 'TOKENS/PARAM', value: (o) => o.tokensPerParam.toFixed(1), align: 'right' },
          ]),
        );
      }
      for (const w of result.warnings) say(style.yellow(`warning: ${w}`));
    });
}
