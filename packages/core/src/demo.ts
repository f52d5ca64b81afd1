/** The project and group of the simulated runs `runcast demo` writes (see packages/api/src/demo). */
export const DEMO_PROJECT = 'demo';
export const DEMO_GROUP = 'demo-100m';

/** A run of the simulated demo: every view that shows one says "simulated demo". */
export function isSimulatedDemoRun(run: { project: string; group: string | null }): boolean {
  return run.project === DEMO_PROJECT && run.group === DEMO_GROUP;
}
