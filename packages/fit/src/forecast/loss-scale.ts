import type { Forecast } from '@runcast/core';

/**
 * Power of ten that brings the typical loss into the range the laws' priors and numerics assume
 * (language-model losses are O(1) nats); 1 for ordinary curves.
 */
export function chooseLossScale(values: ReadonlyArray<number>): number {
  const v = values.filter((x) => Number.isFinite(x) && x > 0).sort((a, b) => a - b);
  if (v.length === 0) return 1;
  const median = v[v.length >> 1]!;
  return median < 1e-2 || median > 1e3 ? 10 ** Math.round(Math.log10(median)) : 1;
}

function scaleDistribution<T extends Record<string, unknown>>(d: T, f: number, keys: string[]): T {
  const out: Record<string, unknown> = { ...d };
  for (const k of keys) if (typeof out[k] === 'number') out[k] = (out[k] as number) * f;
  return out as T;
}

/** Undoes chooseLossScale on a forecast (log-sd is scale-free). */
export function rescaleForecast(f: Forecast, scale: number): Forecast {
  if (scale === 1) return f;
  const keys = ['mean', 'lo80', 'hi80', 'lo95', 'hi95'];
  return {
    ...f,
    final: scaleDistribution(f.final, scale, keys),
    curve: f.curve.map((c) => scaleDistribution(c, scale, keys)),
    diagnostics: { ...f.diagnostics, lossScale: scale },
    ...(f.whatIf
      ? {
          whatIf: {
            ...f.whatIf,
            final: scaleDistribution(f.whatIf.final, scale, keys),
            curve: f.whatIf.curve.map((c) => scaleDistribution(c, scale, keys)),
            delta: scaleDistribution(f.whatIf.delta, scale, ['mean', 'lo80', 'hi80']),
          },
        }
      : {}),
  };
}
