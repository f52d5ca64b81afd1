import type { Verdict } from '@runcast/core';
import { decidableAtStep } from './decidable-at-step';
import {
  computeEffectiveLogSd,
  type DecisionDistribution,
  probBeats,
  probBeatsBest,
  probBelow,
} from './probabilities';
import { decideVerdict } from './verdict';

type Dist = DecisionDistribution;

/** What the run has to beat: a fixed loss, another run's forecast, or the best of several. */
export type StopCriterion =
  | { kind: 'target'; target: number }
  | { kind: 'run'; other: Dist; correlation?: number }
  | {
      kind: 'best';
      others: readonly Dist[];
      /**
       * Correlation of the forecast errors of the runs (default 0), e.g. estimateErrorCorrelation()
       * over backtests of runs forecast under a shared group shape.
       */
      correlation?: number;
      /**
       * Relative indifference margin (default 0): a run that ends within (1 + margin) x the best of
       * the others counts as a success, so 'stop' needs confidence that it ends more than that
       * margin above them.
       */
      margin?: number;
    };

export type DecideStopOptions = {
  /** The run's forecast final loss and where it stands. */
  final: Dist;
  observedUntil: number;
  horizon: number;
  against: StopCriterion;
  /** Default 0.95. */
  confidence?: number;
  /** k of the width model (decidable-at-step.ts). */
  widthExponent?: number;
};

function formatProbability(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/**
 * The should-stop decision: P(success) from the log-normal forecasts, the verdict rule of
 * verdict.ts, and the step where the band is expected to become decisive.
 * For 'best', the step is projected against the strongest rival (lowest forecast mean), with the
 * paired-difference width when a correlation is given.
 */
export function decideStop(options: DecideStopOptions): Verdict {
  const { final, observedUntil, horizon, against, confidence = 0.95 } = options;
  let probability: number;
  let gap: number;
  let width: number;
  let what: string;
  switch (against.kind) {
    case 'target': {
      probability = probBelow({ dist: final, target: against.target });
      gap = Math.log(final.mean) - Math.log(against.target);
      width = computeEffectiveLogSd(final);
      what = `final loss < ${against.target}`;
      break;
    }
    case 'run': {
      const rho = against.correlation ?? 0;
      probability = probBeats({ a: final, b: against.other, correlation: rho });
      gap = Math.log(final.mean) - Math.log(against.other.mean);
      const s = computeEffectiveLogSd(final);
      const o = computeEffectiveLogSd(against.other);
      width = Math.sqrt(Math.max(0, s ** 2 + o ** 2 - 2 * rho * s * o));
      what = 'ends below the other run';
      break;
    }
    case 'best': {
      const rho = against.correlation ?? 0;
      const margin = against.margin ?? 0;
      if (!(margin >= 0 && Number.isFinite(margin))) {
        throw new RangeError(`margin must be finite and >= 0 (got ${margin})`);
      }
      // Ending below (1 + margin) x every rival = the run, scaled by 1 / (1 + margin), beating them.
      const shifted = { ...final, mean: final.mean / (1 + margin) };
      probability = probBeatsBest({ run: shifted, others: against.others, correlation: rho });
      const strongest = against.others.reduce<Dist | null>(
        (best, o) => (best === null || o.mean < best.mean ? o : best),
        null,
      );
      gap = strongest === null ? Number.POSITIVE_INFINITY : Math.log(shifted.mean / strongest.mean);
      if (strongest === null) width = 0;
      else {
        const s = computeEffectiveLogSd(final);
        const o = computeEffectiveLogSd(strongest);
        width = Math.sqrt(Math.max(0, s ** 2 + o ** 2 - 2 * rho * s * o));
      }
      what =
        margin > 0
          ? `ends within ${(100 * margin).toPrecision(2)} % of all ${against.others.length} other runs or below`
          : `ends below all ${against.others.length} other runs`;
      break;
    }
  }
  const verdict = decideVerdict({ probability, confidence });
  const decidable =
    verdict === 'undecided'
      ? decidableAtStep({
          observedUntil,
          horizon,
          currentWidth: width,
          gap,
          confidence,
          ...(options.widthExponent === undefined ? {} : { exponent: options.widthExponent }),
        })
      : null;
  const p = formatProbability(probability);
  const reason =
    verdict === 'stop'
      ? `P(${what}) = ${p} < ${formatProbability(1 - confidence)}: stop`
      : verdict === 'continue'
        ? `P(${what}) = ${p} >= ${confidence}: continue`
        : `P(${what}) = ${p} is between ${formatProbability(1 - confidence)} and ${confidence}` +
          (decidable === null
            ? '; not expected to become decisive before the horizon'
            : `; expected to become decisive near step ${decidable}`);
  return { verdict, probability, decidableAtStep: decidable, reason };
}
