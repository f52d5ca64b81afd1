import { RuncastError } from '@runcast/core';
import type { Store } from '@runcast/db';
import { fitScalingLaw, type ScalingLawResult, type ScalingPoint } from '@runcast/fit';
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
}) {
  const { db, decisions, runs } = options;
  async function pointsOfProject(project: string): Promise<ScalingPoint[]> {
    const points: ScalingPoint[] = [];
    for (const listed of await db.runs.list({ project })) {
      const run = await runs.summarize(listed, listed.series);
      if (!isRunComplete(run)) continue;
      if (!run.params || !run.tokensPerStep) continue;
      const lossKey = run.series.find((s) => /loss/i.test(s.key));
      if (!lossKey?.lastStep) continue;
      try {
        const final = await decisions.finalOf(run.id, undefined);
        points.push({
          N: run.params,
          D: run.tokensPerStep * lossKey.lastStep,
          loss: final.final.mean,
        });
      } catch {
        // A run without a usable final loss is left out.
      }
    }
    return points;
  }
  return {
    async fit(input: {
      points?: ScalingPoint[] | undefined;
      project?: string | undefined;
      resamples?: number | undefined;
    }): Promise<ScalingLawResult & { points: number }> {
      const points = input.points ?? (input.project ? await pointsOfProject(input.project) : []);
      if (points.length < 5) {
        throw new RuncastError(
          'INSUFFICIENT_DATA',
          input.points
            ? `a scaling fit needs at least 5 (N, D, loss) points (got ${points.length})`
            : `project ${JSON.stringify(input.project)} has ${points.length} finished runs with params and tokens per step; a scaling fit needs at least 5`,
          { where: { field: input.points ? 'points' : 'project' } },
        );
      }
      const result = fitScalingLaw({
        points,
        bootstrap: { resamples: input.resamples ?? 200, seed: 42 },
      });
      return { ...result, points: points.length };
    },
  };
}

export type ScalingService = ReturnType<typeof createScalingService>;
