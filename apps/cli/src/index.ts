import { Command, CommanderError, Option } from 'commander';
import { addBacktestCommand } from './commands/backtest';
import { addDemoCommand } from './commands/demo';
import { addForecastCommand } from './commands/forecast';
import { addIngestCommand } from './commands/ingest';
import { addMigrateStoreCommand } from './commands/migrate-store';
import { addRunsCommand } from './commands/runs';
import { addScalingCommand } from './commands/scaling';
import { addSeriesCommand } from './commands/series';
import { addServeCommand } from './commands/serve';
import { addShouldStopCommand } from './commands/should-stop';
import { addShowCommand } from './commands/show';
import { addTokenCommand } from './commands/token';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes';
import { harmless, say } from './output';

/** The command table: one file per command under commands/. */
const COMMANDS: ((program: Command) => void)[] = [
  addIngestCommand,
  addRunsCommand,
  addShowCommand,
  addSeriesCommand,
  addForecastCommand,
  addBacktestCommand,
  addShouldStopCommand,
  addScalingCommand,
  addServeCommand,
  addDemoCommand,
  addTokenCommand,
  addMigrateStoreCommand,
];

function createProgram(): Command {
  const program = new Command('runcast')
    .description('Runcast: track training runs and forecast their loss under any LR schedule')
    .option(
      '--db <file|url>',
      'the store: a SQLite file or postgres://... (default: $RUNCAST_DB, else ./runcast.db)',
    )
    .option('--json', 'print one JSON document on stdout (humans and progress go to stderr)')
    .option(
      '--server <url>',
      'talk to a running `runcast serve` over HTTP instead of the local store',
    )
    .option('--token <secret>', 'API token for --server (default: $RUNCAST_TOKEN)')
    .addOption(
      new Option(
        '--durability <mode>',
        'normal: WAL + synchronous=NORMAL (a power loss may lose the last commits, never corrupts); ' +
          'full: synchronous=FULL (every commit on disk when acknowledged, slower)',
      ).choices(['normal', 'full']),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(harmless(text)) })
    .exitOverride();
  for (const add of COMMANDS) add(program);
  for (const command of program.commands) {
    command.exitOverride();
    command.addHelpText('after', EXIT_CODES_HELP);
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
        return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const code = exitCodeFor(error);
    say(`runcast: ${(error as Error).message ?? String(error)}`);
    if (process.env.RUNCAST_DEBUG) console.error(error);
    return code;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
