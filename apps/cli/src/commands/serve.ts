import { fileURLToPath } from 'node:url';
import { createServer, DEMO_PROJECT, seedDemo, startLiveDemo } from '@runcast/api';
import type { Command } from 'commander';
import { type GlobalOptions, resolveDbPath, resolveMigrationsFolder } from '../backend';
import { openStore } from '../open-store';
import { say, style } from '../output';
import { parseMinutes, parsePositiveInt } from '../parse-args';
import { createFitWorkerPool } from '../pool/fit-worker-pool';

/** apps/dashboard/dist, found from this file (bundle and source sit at the same depth). */
function resolveDashboardDir(): string {
  return (
    process.env.RUNCAST_DASHBOARD ?? fileURLToPath(new URL('../../dashboard/dist', import.meta.url))
  );
}

/** createServer with a plain message when the port is taken. */
async function startServer(options: Parameters<typeof createServer>[0]) {
  try {
    return await createServer(options);
  } catch (e) {
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(
        `${options.host}:${options.port} is already in use: is runcast serve running? (pick another with --port)`,
      );
    }
    throw e;
  }
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
    .option(
      '--stale-after <minutes>',
      'a watched run marked running whose files stop growing this long is stopped (finished if it reached its plan)',
      parseMinutes,
      10 * 60_000,
    )
    .option('--public-read', 'on a non-loopback address, allow reads without a token')
    .option('--fit-threads <n>', 'worker threads for forecasts and other fits', parsePositiveInt)
    .option(
      '--fit-timeout <seconds>',
      'time budget of one forecast/backtest/fit job',
      parsePositiveInt,
      60,
    )
    .option(
      '--no-demo',
      'do not start the live demo on an empty store (no demo with --watch either)',
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        GlobalOptions & {
          host: string;
          port: number;
          watch?: string[];
          staleAfter: number;
          publicRead?: boolean;
          demo: boolean;
          fitThreads?: number;
          fitTimeout: number;
        }
      >();
      const store = await openStore({
        db: resolveDbPath(opts),
        migrationsFolder: resolveMigrationsFolder(),
        ...(opts.durability ? { durability: opts.durability } : {}),
      });
      // Fits run on worker threads, never on the thread that answers requests.
      const fitPool = createFitWorkerPool({
        ...(opts.fitThreads ? { threads: opts.fitThreads } : {}),
        jobTimeoutMs: opts.fitTimeout * 1000,
      });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({
          fitPool,
          db: store,
          host: opts.host,
          port: opts.port,
          publicRead: opts.publicRead === true,
          dashboardDir: resolveDashboardDir(),
          ...(opts.watch?.length ? { watch: opts.watch, staleAfterMs: opts.staleAfter } : {}),
          onIngestEvent: (event) => {
            if (event.type === 'error')
              say(style.red(`watch: ${event.path ?? ''} ${event.message}`));
            else if (event.type === 'file' && event.summary.errors.length > 0) {
              const first = event.summary.errors[0]!;
              say(
                style.yellow(
                  `watch: ${event.summary.path}${first.line !== undefined ? `:${first.line}` : ''}: ${first.message}` +
                    (event.summary.errors.length > 1
                      ? ` (+${event.summary.errors.length - 1} more)`
                      : ''),
                ),
              );
            }
          },
        });
      } catch (error) {
        await fitPool.close();
        await store.close();
        throw error;
      }
      server.onClose(() => fitPool.close());
      if (opts.watch?.length) say(`Watching ${opts.watch.join(', ')} for logs`);
      const existing = await server.services.runs.list();
      const onlyDemo = existing.length > 0 && existing.every((r) => r.project === DEMO_PROJECT);
      if (opts.demo && !opts.watch?.length && (existing.length === 0 || onlyDemo)) {
        if (existing.length === 0) await seedDemo({ services: server.services });
        const demo = await startLiveDemo({ services: server.services });
        server.onClose(() => demo.stop());
        say(
          style.yellow(
            `${existing.length === 0 ? 'The store is empty' : 'The store holds only the demo'}: running a live DEMO ` +
              `(simulated runs, project "${DEMO_PROJECT}"). Start with --no-demo to skip it; ` +
              'ingest real logs with `runcast ingest` or --watch.',
          ),
        );
      }
      say(`${style.bold('Runcast')} serving ${store.location} at ${style.bold(server.url)}`);
      process.stdout.write(`${server.url}\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        say(style.dim(`${signal}: shutting down (flushing ingest)...`));
        server
          .close()
          .then(() => store.close())
          .then(
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
