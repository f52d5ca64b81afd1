import { type DecisionDistribution, probBeats, probBeatsBest } from './probabilities';

export type VerdictMatrixOptions = {
  runs: readonly { id: string; final: DecisionDistribution }[];
  /** Correlation of every pair of log final losses (default 0). */
  correlation?: number;
};

export type VerdictMatrix = {
  ids: string[];
  /** beats[i][j] = P(run i ends below run j); null on the diagonal. */
  beats: (number | null)[][];
  /** P(run i ends below all the others), forecasts independent. */
  best: number[];
};

/** Pairwise P(A < B) for N runs, plus each run's probability of being the best. */
export function computeVerdictMatrix({
  runs,
  correlation = 0,
}: VerdictMatrixOptions): VerdictMatrix {
  const beats = runs.map((a, i) =>
    runs.map((b, j) => (i === j ? null : probBeats({ a: a.final, b: b.final, correlation }))),
  );
  const best = runs.map((r, i) =>
    probBeatsBest({ run: r.final, others: runs.filter((_, j) => j !== i).map((o) => o.final) }),
  );
  return { ids: runs.map((r) => r.id), beats, best };
}
