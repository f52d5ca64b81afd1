import type { Forecast, LossDistribution } from '@runcast/core';
import { prepareScheduleFromSpec } from '../schedule/prepare-spec';
import { Z80 } from '../uncertainty/calibrate';
import type { computeResidualStats } from '../uncertainty/residual-stats';
import { computeQuadraticForm } from '../uncertainty/sandwich';
import { buildDistribution, chooseCurveSteps } from './bands';
import type { LawFit } from './fit-law';
import { predictLaw } from './fit-single';
import type { ForecastOptions } from './forecast';
import type { PreparedRun } from './prepare-run';

/** The forecast under another future schedule, with the paired (shared-parameter) delta. */
export function forecastWhatIf(ctx: {
  run: PreparedRun;
  fit: LawFit;
  cov: Float64Array | null;
  options: ForecastOptions;
  planned: LossDistribution;
  plannedSd: number;
  scale80: number;
  scale95: number;
  stats: ReturnType<typeof computeResidualStats>;
}): NonNullable<Forecast['whatIf']> {
  const spec = ctx.options.whatIf!;
  const horizon = spec.total ?? ctx.run.total;
  const stepsN = Math.max(horizon, ctx.run.observedUntil);
  // Same normalisation and warmup as the fit: the parameters are in the observed run's units.
  const { schedule: sched } = prepareScheduleFromSpec({
    spec,
    steps: stepsN,
    lr: ctx.options.lr,
    peak: ctx.run.schedule.peak,
    warmup: ctx.run.schedule.warmup,
    resolution: ctx.options.resolution,
  });
  const steps = chooseCurveSteps(
    ctx.fit.fitSteps[0]!,
    ctx.run.observedUntil,
    horizon,
    horizon,
    ctx.options.curvePoints ?? 200,
  );
  const w = predictLaw(ctx.fit, sched, steps, true);
  const plannedFinal = predictLaw(
    ctx.fit,
    ctx.run.schedule,
    [Math.min(ctx.options.finalStep ?? ctx.run.total, ctx.run.schedule.steps)],
    true,
  );
  const p = ctx.fit.law.names.length;
  const fi = steps.length - 1;
  const sdW = Math.sqrt(
    ctx.plannedSd ** 2 + (ctx.cov ? computeQuadraticForm(ctx.cov, w.gradLog!, fi * p) : 0),
  );
  const final = buildDistribution(w.mean[fi]!, sdW, ctx.scale80, ctx.scale95);
  const diffGrad = new Float64Array(p);
  for (let a = 0; a < p; a++) diffGrad[a] = w.gradLog![fi * p + a]! - plannedFinal.gradLog![a]!;
  const sdDelta = Math.sqrt(
    (ctx.cov ? computeQuadraticForm(ctx.cov, diffGrad) : 0) * ctx.stats.longRunFactor,
  );
  const delta = w.mean[fi]! - plannedFinal.mean[0]!;
  const scaleLoss = Math.max(w.mean[fi]!, plannedFinal.mean[0]!);
  const curve = steps.map((step, i) => {
    const d = buildDistribution(
      w.mean[i]!,
      sdW *
        Math.min(
          1,
          Math.max(
            0,
            (step - ctx.run.observedUntil) / Math.max(horizon - ctx.run.observedUntil, 1),
          ),
        ),
      ctx.scale80,
      ctx.scale95,
    );
    return { step, mean: d.mean, lo80: d.lo80, hi80: d.hi80, lo95: d.lo95, hi95: d.hi95 };
  });
  return {
    schedule: spec,
    final,
    curve,
    delta: {
      mean: delta,
      lo80: delta - Z80 * ctx.scale80 * sdDelta * scaleLoss,
      hi80: delta + Z80 * ctx.scale80 * sdDelta * scaleLoss,
    },
  };
}
