import { DEMO_GROUP, DEMO_PROJECT, seedDemo, startLiveDemo } from '@runcast/api';
import type { Command } from 'commander';
import { type GlobalOptions, openBackend } from '../backend';
import { UsageError } from '../exit-codes';
import { printJson, say, style } from '../output';
import { parsePositiveInt } from '../parse-args';

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'fill the store with SIMULATED runs of one model under constant, cosine and WSD schedules',
    )
    .option('--live', 'keep appending points like runs in progress (Ctrl-C to stop)')
    .option('--speed <steps>', 'live: optimizer steps simulated per second', parsePositiveInt, 100)
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { live?: boolean; speed: number }>();
      const backend = await openBackend(opts);
      if (!backend.local) {
        await backend.close();
        throw new UsageError('demo writes to a local store; drop --server');
      }
      const services = backend.local;
      const seeded = await seedDemo({ services });
      if (opts.json) {
        printJson({ project: DEMO_PROJECT, group: DEMO_GROUP, runs: seeded.runs });
      }
      say(
        `Simulated ${seeded.runs.length} demo runs (project "${DEMO_PROJECT}", group "${DEMO_GROUP}"): ${seeded.runs.join(', ')}`,
      );
      say(
        style.dim(
          'Curves come from the Multi-Power Law with published parameters plus noise: not real runs.',
        ),
      );
      if (!opts.live) {
        say('Next: runcast runs   |   runcast forecast demo-wsd-long-cooldown   |   runcast serve');
        await backend.close();
        return;
      }
      const demo = await startLiveDemo({ services, stepsPerSecond: opts.speed });
      say(`Live demo running at ${opts.speed} steps/s (Ctrl-C to stop).`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          demo.stop();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await backend.close();
    });
}
