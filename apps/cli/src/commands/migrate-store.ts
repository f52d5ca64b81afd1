import { type CopyProgress, migrateStoreToPostgres } from '@runcast/db';
import type { Command } from 'commander';
import { type GlobalOptions, resolveDbPath, resolveMigrationsFolder } from '../backend';
import { EXIT, UsageError } from '../exit-codes';
import { formatTable } from '../format-table';
import { isPostgresUrl } from '../open-store';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';

/** Rows of points per batch by default (other tables scale with it). */
const POINTS_BATCH = 20_000;

/** Progress lines on stderr: each table's end, and long tables at most every 2 s. */
function createProgressLines() {
  let shown = 0;
  return (p: CopyProgress) => {
    const now = performance.now();
    const finished = p.done >= p.total;
    if (!finished && now - shown < 2_000) return;
    if (finished && p.total === 0) return;
    shown = now;
    say(
      style.dim(
        `${p.table}: ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} rows`,
      ),
    );
  };
}

export function addMigrateStoreCommand(program: Command): void {
  program
    .command('migrate-store')
    .description(
      'copy a SQLite store into PostgreSQL (every table, ids kept), resumable, verified by counts',
    )
    .option('--from <file>', 'the SQLite store (default: --db, $RUNCAST_DB, else ./runcast.db)')
    .requiredOption('--to <url>', 'the PostgreSQL database: postgres://user:pass@host:5432/db')
    .option('--batch <rows>', 'points per batch (one transaction each)', parsePositiveInt)
    .addHelpText(
      'after',
      `
Copies runs, series, points, tokens, project scopes, file offsets, the forecast cache and the
change log into an empty (or partly copied) PostgreSQL database, then prints each table's rows on
both sides; exit 1 when a count differs. Interrupted? Run the same command again: it goes on from
the last committed batch (points are upserts keyed (series, step): nothing is duplicated). Stop
the servers and watchers writing to the SQLite file first.`,
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & { from?: string; to: string; batch?: number }
      >();
      const from = opts.from ?? resolveDbPath(opts);
      if (isPostgresUrl(from)) throw new UsageError(`--from must be a SQLite file (got ${from})`);
      if (!isPostgresUrl(opts.to)) {
        throw new UsageError('--to must be a postgres:// or postgresql:// URL');
      }
      const result = await migrateStoreToPostgres({
        from,
        to: opts.to,
        migrationsFolder: resolveMigrationsFolder(),
        ...(opts.batch ? { batchScale: opts.batch / POINTS_BATCH } : {}),
        onProgress: createProgressLines(),
      });
      if (opts.json) printJson(result);
      else {
        say(
          `${result.resumed ? 'Resumed the copy of' : 'Copied'} ${result.from} into ${result.to}:`,
        );
        say(
          formatTable(result.tables, [
            { title: 'TABLE', value: (t) => t.table },
            { title: 'SQLITE', value: (t) => t.source.toLocaleString('en-US'), align: 'right' },
            { title: 'POSTGRES', value: (t) => t.target.toLocaleString('en-US'), align: 'right' },
            {
              title: 'COPIED NOW',
              value: (t) => t.copied.toLocaleString('en-US'),
              align: 'right',
            },
            {
              title: '',
              value: (t) => (t.source === t.target ? style.green('ok') : style.red('MISMATCH')),
            },
          ]),
        );
        say(
          result.ok
            ? style.green('Verified: every table has as many rows in PostgreSQL as in SQLite.')
            : style.red('Counts differ: the copy is not complete (see MISMATCH above).'),
        );
      }
      if (!result.ok) process.exitCode = EXIT.error;
    });
}
