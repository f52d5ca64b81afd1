import type { DevCurve } from './curves';

/** Schedule sub-type of a dev run (the strata of REFERENCE-BACKTEST's sampling). */
export function classifySchedule(c: DevCurve): string {
  const segs = c.schedule.segments ?? [];
  const last = segs[segs.length - 1];
  if (c.kind === 'constant') return 'constant';
  if (c.kind === 'cosine') return c.finalLr / c.peak < 0.05 ? 'cosine-0' : 'cosine-10';
  if (c.kind === 'linear') return 'linear-0';
  if (c.kind === 'wsd') {
    const frac = Math.round(((c.decaySteps ?? 0) / c.total) * 100);
    return last?.shape === 'sqrt' ? `wsd-sqrt-${frac}` : `wsd-${last?.shape ?? 'linear'}-${frac}`;
  }
  return c.kind;
}

/** The big 124M group that is sampled rather than used whole. */
export const BIG_GROUP = 'epfl-slimpajama-L12H12E768';

/**
 * The 139-run dev sample: every run outside the big group plus a stratified sample of 30 of it
 * (proportional allocation with at least 2 per stratum, evenly spaced over (peak LR, horizon)).
 */
export function sampleDevRuns(all: DevCurve[], bigSample = 30): DevCurve[] {
  const out = all.filter((c) => c.group !== BIG_GROUP);
  const big = all.filter((c) => c.group === BIG_GROUP);
  const strata = new Map<string, DevCurve[]>();
  for (const c of big)
    strata.set(classifySchedule(c), [...(strata.get(classifySchedule(c)) ?? []), c]);
  const keys = [...strata.keys()].sort();
  const alloc = new Map(
    keys.map((k) => [k, Math.max(2, Math.floor((strata.get(k)!.length * bigSample) / big.length))]),
  );
  // Adjust to the exact sample size: remove from / add to the largest strata.
  let total = [...alloc.values()].reduce((a, b) => a + b, 0);
  const bySize = [...keys].sort((a, b) => strata.get(b)!.length - strata.get(a)!.length);
  for (let i = 0; total !== bigSample && i < 1000; i++) {
    const k = bySize[i % bySize.length]!;
    const cur = alloc.get(k)!;
    if (total > bigSample && cur > 2) {
      alloc.set(k, cur - 1);
      total--;
    } else if (total < bigSample && cur < strata.get(k)!.length) {
      alloc.set(k, cur + 1);
      total++;
    }
  }
  for (const k of keys) {
    const runs = [...strata.get(k)!].sort(
      (a, b) => a.peak - b.peak || a.total - b.total || a.id.localeCompare(b.id),
    );
    const m = Math.min(alloc.get(k)!, runs.length);
    for (let i = 0; i < m; i++) out.push(runs[Math.floor(((i + 0.5) * runs.length) / m)]!);
  }
  return out;
}

/** Steps up to which two runs have identical (step, loss) points (at least 3), else -1. */
export function sharedPrefixEnd(a: DevCurve, b: DevCurve): number {
  let i = 0;
  while (i < a.points.length && i < b.points.length) {
    const pa = a.points[i]!;
    const pb = b.points[i]!;
    if (pa.step !== pb.step || pa.value !== pb.value) break;
    i++;
  }
  return i >= 3 ? a.points[i - 1]!.step : -1;
}

/**
 * Donors for a target cut (REFERENCE-BACKTEST): same group, no replicates (same schedule), no run
 * sharing points with the target beyond the cut (kept without the shared points when the shared
 * prefix ends at or before the cut); same peak first, then nearest horizon, sub-types interleaved.
 */
export function chooseDonors(target: DevCurve, all: DevCurve[], cut: number, max = 8) {
  const sig = (c: DevCurve) => JSON.stringify(c.schedule.segments);
  const cands: Array<{ curve: DevCurve; points: DevCurve['points'] }> = [];
  for (const c of all) {
    if (c.group !== target.group || c.id === target.id || sig(c) === sig(target)) continue;
    const shared = sharedPrefixEnd(target, c);
    if (shared > cut) continue;
    cands.push({
      curve: c,
      points: shared >= 0 ? c.points.filter((p) => p.step > shared) : c.points,
    });
  }
  cands.sort(
    (a, b) =>
      Number(a.curve.peak !== target.peak) - Number(b.curve.peak !== target.peak) ||
      Math.abs(Math.log(a.curve.total / target.total)) -
        Math.abs(Math.log(b.curve.total / target.total)) ||
      a.curve.id.localeCompare(b.curve.id),
  );
  const byType = new Map<string, typeof cands>();
  for (const c of cands) {
    const k = classifySchedule(c.curve);
    byType.set(k, [...(byType.get(k) ?? []), c]);
  }
  const out: typeof cands = [];
  const queues = [...byType.values()];
  while (out.length < max && queues.some((q) => q.length)) {
    for (const q of queues) if (q.length && out.length < max) out.push(q.shift()!);
  }
  return out.map((d) => ({ id: d.curve.id, points: d.points, schedule: d.curve.schedule }));
}
