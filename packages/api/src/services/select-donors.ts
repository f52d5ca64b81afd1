import type { ScheduleSpec } from '@runcast/core';
import { scheduleLength, schedulePeak } from '@runcast/fit';

/** A finished run of the group that could lend its curve shape. */
export interface DonorCandidate<T> {
  id: number;
  schedule: ScheduleSpec;
  createdAt: number;
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  payload: T;
}

export interface DonorTarget {
  schedule: ScheduleSpec;
  createdAt: number;
  /** The target's observed points (up to the cut). */
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** At most this many donors (REFERENCE-BACKTEST: K = 8). */
export const MAX_DONORS = 8;
const MIN_SHARED = 3;

function peakOf(spec: ScheduleSpec): number | null {
  try {
    return schedulePeak(spec);
  } catch {
    return null;
  }
}

/** Length of the identical (step, value) prefix two curves share. */
function sharedPrefix(a: DonorTarget, b: DonorCandidate<unknown>): number {
  const n = Math.min(a.steps.length, b.steps.length);
  let i = 0;
  while (i < n && a.steps[i] === b.steps[i] && a.values[i] === b.values[i]) i++;
  return i;
}

/**
 * Chooses the donors of a group forecast (REFERENCE-BACKTEST "mpl-transfer"): same peak LR first,
 * then nearest horizon, then nearest date, interleaving schedule kinds so the donors cover
 * different schedules; at most MAX_DONORS. Excluded: replicates (same schedule as the target) and
 * runs sharing the target's whole observed prefix (a base run or a sibling branched after the cut).
 * A donor that branched before the cut is kept without the points it shares with the target.
 */
export function selectDonors<T>(
  target: DonorTarget,
  candidates: readonly DonorCandidate<T>[],
): { candidate: DonorCandidate<T>; dropBefore: number }[] {
  const targetSpec = JSON.stringify(target.schedule);
  const targetPeak = peakOf(target.schedule);
  const targetLength = scheduleLength(target.schedule) ?? null;
  const admissible: { candidate: DonorCandidate<T>; dropBefore: number; rank: number[] }[] = [];
  for (const candidate of candidates) {
    if (JSON.stringify(candidate.schedule) === targetSpec) continue;
    const shared = sharedPrefix(target, candidate);
    if (shared >= MIN_SHARED && shared >= target.steps.length) continue;
    const dropBefore = shared >= MIN_SHARED ? (candidate.steps[shared - 1] as number) : -1;
    const peak = peakOf(candidate.schedule);
    const length = scheduleLength(candidate.schedule) ?? null;
    const samePeak =
      peak !== null && targetPeak !== null && Math.abs(peak - targetPeak) <= 0.01 * targetPeak;
    admissible.push({
      candidate,
      dropBefore,
      rank: [
        samePeak ? 0 : 1,
        length && targetLength ? Math.abs(Math.log(length / targetLength)) : 10,
        Math.abs(candidate.createdAt - target.createdAt),
      ],
    });
  }
  admissible.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) {
      const d = a.rank[i]! - b.rank[i]!;
      if (d !== 0) return d;
    }
    return a.candidate.id - b.candidate.id;
  });
  // Same-peak donors first; within each tier, interleave schedule kinds (best of each kind in turn).
  const chosen: { candidate: DonorCandidate<T>; dropBefore: number }[] = [];
  for (const tier of [0, 1]) {
    const queue = admissible.filter((a) => a.rank[0] === tier);
    while (chosen.length < MAX_DONORS && queue.length > 0) {
      const seen = new Set<string>();
      for (let i = 0; i < queue.length && chosen.length < MAX_DONORS; ) {
        const kind = queue[i]!.candidate.schedule.kind;
        if (seen.has(kind)) {
          i++;
          continue;
        }
        seen.add(kind);
        const [next] = queue.splice(i, 1);
        chosen.push({ candidate: next!.candidate, dropBefore: next!.dropBefore });
      }
    }
  }
  return chosen;
}
