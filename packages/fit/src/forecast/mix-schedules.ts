import type { Forecast, LossDistribution, ScheduleSpec } from '@runcast/core';
import { Z80, Z95 } from '../uncertainty/calibrate';

/**
 * Bands for a forecast made under an assumed LR schedule (no declared schedule, no logged LR: a
 * trainer's documented default, trainer-defaults.ts): the forecast under the assumed schedule and
 * under each plausible alternative are mixed - a mixture of their log-normal final-loss (and
 * curve) distributions, the assumed one weighted `primaryWeight`, the alternatives sharing the
 * rest equally - and the bands are the mixture's quantiles, never narrower than the assumed
 * schedule's own. The mean stays the assumed schedule's forecast; the band widens by as much as
 * the alternatives disagree with it.
 */
export type ScheduleAlternative = { schedule: ScheduleSpec; forecast: Forecast };

type Component = { w: number; m: number; s80: number; s95: number };

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf (|error| < 1.5e-7), ample for band edges.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** x with sum_i w_i Phi((x - m_i) / s_i) = p, by bisection in log space. */
function mixtureQuantile(cs: Component[], p: number, pick: (c: Component) => number): number {
  let lo = Math.min(...cs.map((c) => c.m - 10 * pick(c) - 1e-9));
  let hi = Math.max(...cs.map((c) => c.m + 10 * pick(c) + 1e-9));
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    let f = 0;
    for (const c of cs) {
      const s = pick(c);
      f += c.w * (s > 0 ? normalCdf((mid - c.m) / s) : mid >= c.m ? 1 : 0);
    }
    if (f < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function componentOf(
  d: Pick<LossDistribution, 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>,
  w: number,
): Component {
  return {
    w,
    m: Math.log(d.mean),
    s80: Math.max(0, Math.log(d.hi80 / d.lo80) / (2 * Z80)),
    s95: Math.max(0, Math.log(d.hi95 / d.lo95) / (2 * Z95)),
  };
}

/**
 * The mixture's bands, never narrower than the assumed schedule's own (`own`): the assumption
 * being right must stay covered as well as it was.
 */
function mixDistribution(
  cs: Component[],
  own: Pick<LossDistribution, 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>,
) {
  const mean = own.mean;
  const m = Math.log(mean);
  const lo80 = Math.min(
    mixtureQuantile(cs, 0.1, (c) => c.s80),
    Math.log(own.lo80),
    m,
  );
  const hi80 = Math.max(
    mixtureQuantile(cs, 0.9, (c) => c.s80),
    Math.log(own.hi80),
    m,
  );
  const lo95 = Math.min(
    mixtureQuantile(cs, 0.025, (c) => c.s95),
    Math.log(own.lo95),
    lo80,
  );
  const hi95 = Math.max(
    mixtureQuantile(cs, 0.975, (c) => c.s95),
    Math.log(own.hi95),
    hi80,
  );
  const logSd = Math.sqrt(
    cs.reduce((a, c) => a + c.w * (((c.s80 + c.s95) / 2) ** 2 + (c.m - m) ** 2), 0),
  );
  return {
    mean,
    lo80: Math.exp(lo80),
    hi80: Math.exp(hi80),
    lo95: Math.exp(lo95),
    hi95: Math.exp(hi95),
    logSd,
  };
}

/** Log-linear interpolation of a forecast's curve at a step (held flat outside it). */
function curveAt(f: Forecast, step: number) {
  const c = f.curve;
  let j = 0;
  while (j + 1 < c.length && c[j + 1]!.step < step) j++;
  const a = c[j]!;
  const b = c[j + 1];
  if (!b || step <= a.step) return a;
  const u = Math.min(1, (step - a.step) / (b.step - a.step));
  const lerp = (x: number, y: number) => Math.exp(Math.log(x) + u * (Math.log(y) - Math.log(x)));
  return {
    step,
    mean: lerp(a.mean, b.mean),
    lo80: lerp(a.lo80, b.lo80),
    hi80: lerp(a.hi80, b.hi80),
    lo95: lerp(a.lo95, b.lo95),
    hi95: lerp(a.hi95, b.hi95),
  };
}

export function mixScheduleForecasts(options: {
  primary: Forecast;
  alternatives: ReadonlyArray<ScheduleAlternative>;
  primaryWeight?: number;
}): Forecast {
  const { primary, alternatives } = options;
  if (alternatives.length === 0) return primary;
  const w0 = options.primaryWeight ?? 0.5;
  const wAlt = (1 - w0) / alternatives.length;
  const finalCs = [
    componentOf(primary.final, w0),
    ...alternatives.map((a) => componentOf(a.forecast.final, wAlt)),
  ];
  const final = mixDistribution(finalCs, primary.final);
  const curve = primary.curve.map((p) => {
    const cs = [
      componentOf(p, w0),
      ...alternatives.map((a) => componentOf(curveAt(a.forecast, p.step), wAlt)),
    ];
    const d = mixDistribution(cs, p);
    return { step: p.step, mean: d.mean, lo80: d.lo80, hi80: d.hi80, lo95: d.lo95, hi95: d.hi95 };
  });
  return {
    ...primary,
    final,
    curve,
    diagnostics: {
      ...primary.diagnostics,
      scheduleMixture: {
        primaryWeight: w0,
        alternatives: alternatives.map((a) => ({
          schedule: a.schedule,
          model: a.forecast.model,
          finalMean: a.forecast.final.mean,
          weight: wAlt,
        })),
        unmixedFinal: primary.final,
      },
    },
  };
}
