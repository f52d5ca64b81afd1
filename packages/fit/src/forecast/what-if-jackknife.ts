import type { PreparedSchedule } from '../schedule/prepare';
import { fitGroupTarget } from './fit-group-target';
import type { CurveArrays } from './fit-points';
import { preparedByShape } from './group-problem';
import { fitGroupShape, type GroupDonor, type GroupShape } from './group-shape';

/** Fewest donors for a leave-one-out: with two, each replicate rests on a single sibling. */
const MIN_DONORS = 3;

/** Leave-one-donor-out shapes, kept per shape (a what-if request refits only the target's levels). */
const leaveOneOut = new WeakMap<GroupShape, GroupShape[]>();

function leaveOneOutShapes(
  shape: GroupShape,
  given: ReadonlyArray<GroupDonor> | undefined,
): GroupShape[] | null {
  const known = leaveOneOut.get(shape);
  if (known) return known;
  const donors = given ?? preparedByShape.get(shape)?.donors;
  if (!donors || donors.length < MIN_DONORS) return null;
  const shapes: GroupShape[] = [];
  for (let j = 0; j < donors.length; j++) {
    const s = fitGroupShape(donors.filter((_, i) => i !== j));
    if (s) shapes.push(s);
  }
  if (shapes.length < MIN_DONORS) return null;
  leaveOneOut.set(shape, shapes);
  return shapes;
}

/**
 * Delete-one-donor jackknife of the target's group fit: for every donor left out, the shape is refitted
 * on the others and the target's fit redone under it. The spread of what these fits say about a
 * schedule change is the uncertainty of the schedule-dependent terms (the annealing bonus and the
 * LR-area term) that the siblings' data leave; the shape's own covariance only sees its noise.
 * Returns the target's fit-space parameter vectors, or null when the shape's donors are neither given
 * nor known to this process (a shape read back from JSON without them) or fewer than three.
 */
export function jackknifeGroupFit(options: {
  shape: GroupShape;
  /** The shape's donors (default: those it was fitted on in this process). */
  donors?: ReadonlyArray<GroupDonor>;
  schedule: PreparedSchedule;
  points: CurveArrays;
  start: Float64Array;
}): Float64Array[] | null {
  const shapes = leaveOneOutShapes(options.shape, options.donors);
  if (!shapes) return null;
  return shapes.map(
    (shape) =>
      fitGroupTarget({
        shape,
        schedule: options.schedule,
        points: options.points,
        start: Float64Array.from([options.start[0]!, options.start[1]!, ...shape.shared]),
      }).theta,
  );
}

/**
 * Jackknife variance, per point, of the log ratio of two predictions made with the same parameters:
 * (K - 1) / K x sum_j (d_j - mean d)^2 with d_j = log(a_j / b_j). Exactly zero where a_j = b_j for
 * every replicate (the schedules still agree).
 */
export function jackknifeLogRatioVariance(
  pairs: ReadonlyArray<{ a: Float64Array; b: Float64Array }>,
): Float64Array {
  const K = pairs.length;
  const n = pairs[0]?.a.length ?? 0;
  const out = new Float64Array(n);
  if (K < 2) return out;
  for (let i = 0; i < n; i++) {
    let mean = 0;
    const d = new Float64Array(K);
    for (let j = 0; j < K; j++) {
      const { a, b } = pairs[j]!;
      d[j] = a[i] === b[i] ? 0 : Math.log(a[i]! / b[i]!);
      mean += d[j]!;
    }
    mean /= K;
    let ss = 0;
    for (let j = 0; j < K; j++) ss += (d[j]! - mean) ** 2;
    out[i] = Number.isFinite(ss) ? ((K - 1) / K) * ss : 0;
  }
  return out;
}
