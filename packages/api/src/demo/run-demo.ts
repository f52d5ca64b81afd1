import { DEMO_GROUP, DEMO_PROJECT } from '@runcast/core';
import type { Services } from '../services/create-services';
import { pushedRunKey } from '../services/push-service';
import { DEMO_RUNS, DEMO_TOTAL_STEPS, type DemoRunPlan } from './demo-schedules';
import { type SimulatedPoint, simulateLossCurve } from './simulate-loss';

export { DEMO_GROUP, DEMO_PROJECT };

const EVERY = 50;
const FIRST_STEP = 200;

interface LiveRun {
  plan: DemoRunPlan;
  curve: SimulatedPoint[];
  next: number;
}

function curveOf(plan: DemoRunPlan): SimulatedPoint[] {
  return simulateLossCurve({ schedule: plan.schedule, every: EVERY, seed: plan.seed }).filter(
    (p) => p.step >= FIRST_STEP,
  );
}

async function pushPoints(options: {
  services: Services;
  plan: DemoRunPlan;
  points: SimulatedPoint[];
  status: 'running' | 'finished';
  live: boolean;
}): Promise<void> {
  const now = Date.now() / 1000;
  await options.services.push.push({
    project: DEMO_PROJECT,
    run: options.plan.name,
    group: DEMO_GROUP,
    schedule: options.plan.schedule,
    status: options.status,
    params: 1.0e8,
    tokensPerStep: 524_288,
    points: options.points.map((p) => ({
      step: p.step,
      metrics: { loss: p.loss, lr: p.lr },
      ...(options.live ? { time: now } : {}),
    })),
  });
}

/**
 * Fills the store with SIMULATED runs of one model (demo-100m) under constant, cosine and WSD
 * schedules: the first three finished, the last one running at 40% of its steps.
 * Idempotent: seeding twice writes the same points again.
 */
export async function seedDemo(options: { services: Services }): Promise<{ runs: string[] }> {
  const { services } = options;
  for (const [i, plan] of DEMO_RUNS.entries()) {
    const curve = curveOf(plan);
    const last = i === DEMO_RUNS.length - 1;
    const points = last ? curve.filter((p) => p.step <= DEMO_TOTAL_STEPS * 0.4) : curve;
    await pushPoints({
      services,
      plan,
      points,
      status: last ? 'running' : 'finished',
      live: false,
    });
  }
  services.bus.notify();
  return { runs: DEMO_RUNS.map((r) => r.name) };
}

/**
 * Keeps the demo alive: live runs append points every second like runs in progress (by default
 * 100 steps per second); a finished live run is marked finished and a new one starts with the next
 * schedule. Resumes from what the store already holds. Returns stop().
 */
export async function startLiveDemo(options: {
  services: Services;
  stepsPerSecond?: number;
  tickMs?: number;
}): Promise<{ stop(): void }> {
  const { services } = options;
  const tickMs = options.tickMs ?? 1000;
  const pointsPerTick = Math.max(
    1,
    Math.round(((options.stepsPerSecond ?? 100) * tickMs) / 1000 / EVERY),
  );
  // Continue the numbering of live runs already in the store (a restarted server resumes the demo).
  let serial = (await services.runs.list({ project: DEMO_PROJECT })).filter((r) =>
    r.name.startsWith('demo-live-'),
  ).length;
  const startRun = async (plan: DemoRunPlan): Promise<LiveRun> => {
    const curve = curveOf(plan);
    const run = (await services.runs.list({ project: DEMO_PROJECT })).find(
      (r) => r.key === pushedRunKey({ project: DEMO_PROJECT, run: plan.name }),
    );
    const done = run?.stepsDone ?? 0;
    return { plan, curve, next: curve.findIndex((p) => p.step > done) };
  };
  const nextPlan = (): DemoRunPlan => {
    const base = DEMO_RUNS[serial % DEMO_RUNS.length]!;
    serial++;
    return livePlanNamed(`demo-live-${serial}-${base.schedule.kind}`)!;
  };
  const lastPlan = DEMO_RUNS[DEMO_RUNS.length - 1]!;
  const resumable = (await services.runs.list({ project: DEMO_PROJECT, status: 'running' })).find(
    (r) => r.name.startsWith('demo-live-'),
  );
  const resumedPlan = resumable ? livePlanNamed(resumable.name) : null;
  const live: LiveRun[] = [await startRun(lastPlan), await startRun(resumedPlan ?? nextPlan())];
  let stopped = false;
  let busy = false;
  const tick = async () => {
    for (let i = 0; i < live.length && !stopped; i++) {
      const run = live[i]!;
      if (run.next < 0 || run.next >= run.curve.length) {
        live[i] = await startRun(nextPlan());
        continue;
      }
      const points = run.curve.slice(run.next, run.next + pointsPerTick);
      run.next += points.length;
      const finished = run.next >= run.curve.length;
      await pushPoints({
        services,
        plan: run.plan,
        points,
        status: finished ? 'finished' : 'running',
        live: true,
      });
    }
    services.bus.notify();
  };
  const timer = setInterval(() => {
    // A tick still writing (a slow store) is not overlapped by the next one.
    if (busy) return;
    busy = true;
    tick()
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, tickMs);
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** The plan of live demo run `demo-live-<n>-<kind>` (seeded by n), or null for another name. */
function livePlanNamed(name: string): DemoRunPlan | null {
  const match = /^demo-live-(\d+)-([a-z_]+)$/.exec(name);
  const base = match ? DEMO_RUNS.find((p) => p.schedule.kind === match[2]) : undefined;
  return match && base ? { ...base, name, seed: 1000 + Number(match[1]) } : null;
}
