import { fileURLToPath } from 'node:url';
import { createServer, DEMO_PROJECT, seedDemo, startLiveDemo } from '@runcast/api';
import type { Command } from 'commander';
import { type GlobalOptions, resolveDbPath, resolveMigrationsFolder } from '../backend';
import { say, style } from '../output';
import { parsePositiveInt } from '../parse-args';

/** apps/dashboard/dist, found from this file (bundle and source sit at the same depth). */
function resolveDashboardDir(): string {
  return (
    process.env.RUNCAST_DASHBOARD ?? fileURLToPath(new URL('../../dashboard/dist', import.meta.url))
  );
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the API, the live stream and the dashboard (an empty store gets a live demo)',
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port', parsePositiveInt, 4600)
    .option('--watch <dir...>', 'folders of logs to ingest and tail')
    .option('--public-read', 'on a non-loopback address, allow reads without a token')
    .option('--no-demo', 'do not start the live demo on an empty store')
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & {
          host: string;
          port: number;
          watch?: string[];
          publicRead?: boolean;
          demo: boolean;
        }
      >();
      const server = await createServer({
        db: resolveDbPath(opts),
        migrationsFolder: resolveMigrationsFolder(),
        host: opts.host,
        port: opts.port,
        publicRead: opts.publicRead === true,
        dashboardDir: resolveDashboardDir(),
      });
      if (opts.demo && server.services.runs.list({ limit: 1 }).length === 0) {
        seedDemo({ services: server.services });
        const demo = startLiveDemo({ services: server.services });
        server.onClose(() => demo.stop());
        say(
          style.yellow(
            `The store is empty: running a live DEMO (simulated runs, project "${DEMO_PROJECT}"). ` +
              'Start with --no-demo to skip it; ingest real logs with `runcast ingest` or --watch.',
          ),
        );
      }
      say(`${style.bold('Runcast')} serving ${resolveDbPath(opts)} at ${style.bold(server.url)}`);
      process.stdout.write(`${server.url}\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(style.dim(`${signal}: shutting down (flushing ingest)...`));
        server.close().then(
          () => process.exit(0),
          (e: unknown) => {
            console.error(e);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      await new Promise(() => undefined);
    });
}
