/**
 * What-if bench: deciding a cooldown before paying for it. A run is cut in its stable phase (at 50 %
 * and 90 % of a sibling's cooldown start), the what-if is asked with that sibling's exact schedule (the
 * sibling is never a donor), and the what-if final loss is compared with the sibling's real final loss.
 * Pairs: every (target, sibling) of one group whose LRs are identical up to the cut. Prints the median
 * / p90 relative error and the coverage of the 80 % / 95 % what-if bands per cut, for group mode (the
 * siblings' shape, as `runcast forecast` uses it) and, as the baseline measured in the same run, the
 * single-run law the forecast falls back to without a group.
 * Run: pnpm bench what-if   (RUNCAST_BENCH_FAMILY=all for every family; default the MPL family).
 * JSON: bench/out/what-if.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  compileSchedule,
  fitGroupShape,
  forecast,
  type GroupShape,
} from '../packages/fit/src/index';
import { type DevCurve, readAllCurves } from './lib/curves';
import { chooseDonors } from './lib/sampling';

const CUT_SHARES = [0.5, 0.9];
const FAMILY = process.env.RUNCAST_BENCH_FAMILY ?? 'mpl-luo2025';

/** First 0-based step at which the LR falls below its post-warmup peak, or null. */
export function findCooldownStart(c: DevCurve): number | null {
  const eta = compileSchedule(c.schedule);
  let peak = 0;
  for (let k = 1; k < eta.length; k++) peak = Math.max(peak, eta[k]!);
  let reached = false;
  for (let k = 1; k < eta.length; k++) {
    if (!reached) reached = eta[k]! >= peak * (1 - 1e-9);
    else if (eta[k]! < peak * (1 - 1e-6)) return k - 1;
  }
  return null;
}

function sameLrUntil(a: DevCurve, b: DevCurve, step: number): boolean {
  const ea = compileSchedule(a.schedule, { steps: step + 1 });
  const eb = compileSchedule(b.schedule, { steps: step + 1 });
  for (let k = 1; k <= step + 1; k++) if (Math.abs(ea[k]! - eb[k]!) > 1e-12 * ea[k]!) return false;
  return true;
}

type Pair = { target: DevCurve; sibling: DevCurve; share: number; cut: number };

function listPairs(all: DevCurve[]): Pair[] {
  const pairs: Pair[] = [];
  const groups = [...new Set(all.map((c) => c.group))].sort();
  for (const g of groups) {
    const runs = all.filter((c) => c.group === g);
    for (const sibling of runs) {
      const start = findCooldownStart(sibling);
      if (start === null) continue;
      for (const share of CUT_SHARES) {
        const cut = Math.floor(share * start);
        if (cut <= sibling.warmup) continue;
        for (const target of runs) {
          if (target.id === sibling.id) continue;
          if (JSON.stringify(target.schedule) === JSON.stringify(sibling.schedule)) continue;
          if (target.points.filter((p) => p.step <= cut && p.step > target.warmup).length < 8)
            continue;
          if (!sameLrUntil(target, sibling, cut)) continue;
          pairs.push({ target, sibling, share, cut });
        }
      }
    }
  }
  return pairs;
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

const METHODS = ['joint', 'shape', 'single'] as const;
type Method = (typeof METHODS)[number];
const LABEL: Record<Method, string> = {
  joint: 'group mode, joint refit with the donors',
  shape: 'group mode, cached shape (as the server)',
  single: 'single run (baseline)',
};

type Row = {
  target: string;
  sibling: string;
  share: number;
  method: Method;
  relError: number;
  covered80: boolean;
  covered95: boolean;
  width80: number;
  delta: number;
  actualDelta: number;
  deltaCovered80: boolean;
  ms: number;
};

export async function runWhatIf(): Promise<void> {
  const t0 = performance.now();
  const all = readAllCurves().filter((c) => FAMILY === 'all' || c.family === FAMILY);
  const pairs = listPairs(all);
  console.error(`what-if: ${pairs.length} (target, sibling, cut) pairs in ${FAMILY}`);
  const shapes = new Map<string, GroupShape | null>();
  const rows: Row[] = [];
  for (const [i, { target, sibling, share, cut }] of pairs.entries()) {
    const actual = sibling.points[sibling.points.length - 1]!;
    const points = target.points.filter((p) => p.step <= cut);
    const lr = target.lr.filter((p) => p.step <= cut);
    // The sibling is never in the store: it is neither a donor nor anything else the forecast sees.
    const donors = chooseDonors(
      target,
      all.filter((c) => c.id !== sibling.id),
      cut,
    );
    const key = donors.map((d) => `${d.id}:${d.points[0]?.step}`).join('|');
    if (!shapes.has(key)) shapes.set(key, donors.length ? fitGroupShape(donors) : null);
    const shape = shapes.get(key)!;
    for (const method of METHODS) {
      if (method !== 'single' && !shape) continue;
      const t = performance.now();
      const f = forecast({
        points,
        schedule: target.schedule,
        lr,
        whatIf: sibling.schedule,
        finalStep: actual.step,
        ...(method === 'joint' ? { group: { shape: shape!, donors } } : {}),
        ...(method === 'shape' ? { group: { shape: shape! } } : {}),
      });
      const w = f.whatIf;
      if (!w) {
        console.error(
          `  ${method}: no what-if for ${target.id} -> ${sibling.id} at ${share} (model ${f.model}: ${String(f.diagnostics.reason)})`,
        );
        continue;
      }
      // The target's own value at the sibling's final step (or its last point): the real delta.
      const own = target.points.find((p) => p.step === actual.step) ?? null;
      const actualDelta = own ? actual.value - own.value : Number.NaN;
      rows.push({
        target: target.id,
        sibling: sibling.id,
        share,
        method,
        relError: Math.abs(w.final.mean - actual.value) / actual.value,
        covered80: w.final.lo80 <= actual.value && actual.value <= w.final.hi80,
        covered95: w.final.lo95 <= actual.value && actual.value <= w.final.hi95,
        width80: (w.final.hi80 - w.final.lo80) / w.final.mean,
        delta: w.delta.mean,
        actualDelta,
        deltaCovered80: own ? w.delta.lo80 <= actualDelta && actualDelta <= w.delta.hi80 : false,
        ms: performance.now() - t,
      });
    }
    if ((i + 1) % 20 === 0)
      console.error(
        `  ${i + 1}/${pairs.length} pairs, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
  const summary: Record<string, Record<string, unknown>> = {};
  const pct = (x: number) => (100 * x).toFixed(2);
  console.log(
    `\nwhat-if final loss vs the sibling's real final (${FAMILY}); cut = share of the sibling's cooldown start`,
  );
  console.log(
    '| method | cut | pairs | median err % | p90 err % | 80% coverage | 95% coverage | 80% width % | delta 80% coverage (n) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const method of METHODS) {
    for (const share of CUT_SHARES) {
      const rs = rows.filter((r) => r.method === method && r.share === share);
      const withDelta = rs.filter((r) => Number.isFinite(r.actualDelta));
      const s = {
        pairs: rs.length,
        medianErrorPct:
          100 *
          quantile(
            rs.map((r) => r.relError),
            0.5,
          ),
        p90ErrorPct:
          100 *
          quantile(
            rs.map((r) => r.relError),
            0.9,
          ),
        coverage80: rs.filter((r) => r.covered80).length / rs.length,
        coverage95: rs.filter((r) => r.covered95).length / rs.length,
        medianWidth80Pct:
          100 *
          quantile(
            rs.map((r) => r.width80),
            0.5,
          ),
        deltaCoverage80: withDelta.filter((r) => r.deltaCovered80).length / withDelta.length,
        deltaPairs: withDelta.length,
        medianMs: quantile(
          rs.map((r) => r.ms),
          0.5,
        ),
      };
      summary[`${method}@${share}`] = s;
      console.log(
        `| ${LABEL[method]} | ${share} | ${s.pairs} | ${s.medianErrorPct.toFixed(2)} | ${s.p90ErrorPct.toFixed(2)} | ${pct(s.coverage80)}% | ${pct(s.coverage95)}% | ${s.medianWidth80Pct.toFixed(2)} | ${pct(s.deltaCoverage80)}% (${s.deltaPairs}) |`,
      );
    }
  }
  for (const share of CUT_SHARES) {
    const b = summary[`single@${share}`]!;
    for (const m of ['joint', 'shape'] as const) {
      const g = summary[`${m}@${share}`]!;
      console.log(
        `cut ${share}: ${m} / single-run median error ratio ${((g.medianErrorPct as number) / (b.medianErrorPct as number)).toFixed(2)}`,
      );
    }
  }
  console.log(`targets: median error <= 0.30 % (cut 0.5) / 0.20 % (cut 0.9); 80% coverage 75-88%`);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./out/what-if.json', import.meta.url),
    JSON.stringify({ family: FAMILY, summary, rows }, null, 1),
  );
}

await runWhatIf();
