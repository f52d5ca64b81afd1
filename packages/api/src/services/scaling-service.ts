import { RuncastError } from '@runcast/core';
import type { Store } from '@runcast/db';
import type { ScalingLawResult, ScalingPoint } from '@runcast/fit';
import { type FitJobOptions, type FitPool, isPoolRefusal } from '../pool/fit-pool';
import type { DecisionsService } from './decisions-service';
import { isRunComplete } from './run-summary';
import type { RunsService } from './runs-service';

/**
 * Cross-run L(N, D) fits (Chinchilla Approach 3 as redone by Besiroglu et al., in @runcast/fit):
 * on given (N, D, loss) points, or on the finished runs of a project that know their parameter
 * count and tokens per step (D = tokens per step x last step, loss = observed final loss).
 */
export function createScalingService(options: {
  db: Store;
  decisions: DecisionsService;
  runs: RunsService;
  pool: FitPool;
}) {
  const { db, decisions, runs, pool } = options;
  async function pointsOfProject(
    project: string,
    jobOptions: FitJobOptions,
  ): Promise<ScalingPoint[]> {
    const points: ScalingPoint[] = [];
    for (const listed of await db.runs.list({ project })) {
      const run = await runs.summarize(listed, listed.series);
      if (!isRunComplete(run)) continue;
      if (!run.params || !run.tokensPerStep) continue;
      const lossKey = run.series.find((s) => /loss/i.test(s.key));
      if (!lossKey?.lastStep) continue;
      try {
        const final = await decisions.finalOf(run.id, undefined, jobOptions);
        points.push({
          N: run.params,
          D: run.tokensPerStep * lossKey.lastStep,
          loss: final.final.mean,
        });
      } catch (e) {
        // A run without a usable final loss is left out (a busy pool answers the request).
        if (isPoolRefusal(e)) throw e;
      }
    }
    return points;
  }
  return {
    async fit(
      input: {
        points?: ScalingPoint[] | undefined;
        project?: string | undefined;
        resamples?: number | undefined;
      },
      jobOptions: FitJobOptions = {},
    ): Promise<ScalingLawResult & { points: number }> {
      const points =
        input.points ?? (input.project ? await pointsOfProject(input.project, jobOptions) : []);
      if (points.length < 5) {
        throw new RuncastError(
          'INSUFFICIENT_DATA',
          input.points
            ? `a scaling fit needs at least 5 (N, D, loss) points (got ${points.length})`
            : `project ${JSON.stringify(input.project)} has ${points.length} finished runs with params and tokens per step; a scaling fit needs at least 5`,
          { where: { field: input.points ? 'points' : 'project' } },
        );
      }
      const result = await pool.run(
        {
          kind: 'scaling',
          input: { points, bootstrap: { resamples: input.resamples ?? 200, seed: 42 } },
        },
        jobOptions,
      );
      return { ...result, points: points.length };
    },
  };
}

export type ScalingService = ReturnType<typeof createScalingService>;
