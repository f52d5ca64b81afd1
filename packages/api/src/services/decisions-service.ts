import { type LossDistribution, RuncastError, type Verdict } from '@runcast/core';
import type { Store } from '@runcast/db';
import { computeVerdictMatrix, decideStop } from '@runcast/fit';
import { type FitJobOptions, isPoolRefusal } from '../pool/fit-pool';
import type { CalibrationService, CorrelationOf } from './calibration-service';
import type { ForecastService } from './forecast-service';
import { isRunComplete } from './run-summary';
import type { RunsService } from './runs-service';

type Dist = Pick<LossDistribution, 'mean' | 'logSd'>;

export interface FinalOf {
  runId: number;
  name: string;
  status: string;
  /** 'observed' for a finished run (its last losses), 'forecast' otherwise. */
  source: 'observed' | 'forecast';
  final: Dist & Partial<LossDistribution>;
}

export type ShouldStopResult = Verdict & {
  final: LossDistribution;
  observedUntil: number;
  horizon: number;
  model: string;
  other?: FinalOf | { best: FinalOf | null; runs: number };
  /**
   * Correlation of the forecast errors of this run and its forecast rivals of the same group
   * (estimated from the store's backtests, calibration-service.ts); absent when the comparison
   * treats the forecasts as independent (no group, no forecast rival, or no calibration yet).
   */
  correlation?: CorrelationOf;
  /** The forecast's bands: calibrated on how many other finished runs (forecast diagnostics). */
  calibration?: unknown;
};

const LAST_POINTS = 10;

/**
 * The final loss of a finished run as a distribution: the median of its last points, with the
 * spread of those points (log scale) as its s.d. - measurement noise, not forecast error.
 */
function observedFinal(values: Float64Array): Dist | null {
  const tail: number[] = [];
  for (let i = values.length - 1; i >= 0 && tail.length < LAST_POINTS; i--) {
    const v = values[i]!;
    if (Number.isFinite(v) && v > 0) tail.push(Math.log(v));
  }
  if (tail.length === 0) return null;
  const sorted = [...tail].sort((a, b) => a - b);
  const last3 = tail.slice(0, 3).sort((a, b) => a - b);
  const median = last3[Math.floor(last3.length / 2)]!;
  const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
  const sd = Math.sqrt(
    tail.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, tail.length - 1),
  );
  return {
    mean: Math.exp(median),
    logSd: Math.min(sd, (sorted[sorted.length - 1]! - sorted[0]!) / 2),
  };
}

/** Early-stopping verdicts and pairwise comparisons on top of the forecast service. */
export function createDecisionsService(options: {
  db: Store;
  runs: RunsService;
  forecasts: ForecastService;
  calibration?: CalibrationService;
}) {
  const { db, runs, forecasts, calibration } = options;

  /**
   * Rivals forecast under the same group shape share its error: their correlation, when the run
   * has a group, a rival is a forecast of that group (an observed final has no forecast error),
   * and a finished calibration has estimated it.
   */
  async function correlationWith(
    group: string | null,
    rivals: readonly FinalOf[],
    confidence: number,
  ): Promise<CorrelationOf | null> {
    if (!group || !calibration) return null;
    let paired = false;
    for (const o of rivals) {
      if (o.source === 'forecast' && (await runs.byId(o.runId)).group === group) {
        paired = true;
        break;
      }
    }
    return paired ? calibration.correlationFor(group, confidence) : null;
  }

  /** A run's final loss: observed when finished, forecast otherwise. */
  async function finalOf(
    runId: number,
    key: string | undefined,
    options: FitJobOptions & { calibrate?: boolean | undefined } = {},
  ): Promise<FinalOf> {
    const { calibrate, ...jobOptions } = options;
    const run = await runs.byId(runId);
    const k = key ?? run.lossKey ?? undefined;
    if (isRunComplete(run) && k) {
      const input = await forecasts.runInput(run, k);
      const dist = input ? observedFinal(input.cols.values) : null;
      if (dist)
        return { runId, name: run.name, status: run.status, source: 'observed', final: dist };
    }
    const f = await forecasts.get(
      { runId, key: k, ...(calibrate === false ? { calibrate } : {}) },
      jobOptions,
    );
    return { runId, name: run.name, status: run.status, source: 'forecast', final: f.final };
  }

  async function decide(
    input: {
      runId: number;
      key?: string | undefined;
      target?: number | undefined;
      vs?: 'best' | number | undefined;
      confidence?: number | undefined;
      /** Bands calibrated on the store's other finished runs (default true); false: raw bands. */
      calibrate?: boolean | undefined;
    },
    jobOptions: FitJobOptions = {},
  ): Promise<ShouldStopResult> {
    if ((input.target === undefined) === (input.vs === undefined)) {
      throw new RuncastError('INVALID_INPUT', 'give exactly one of target or vs', {
        where: { field: 'target' },
      });
    }
    const run = await runs.byId(input.runId);
    const f = await forecasts.get(
      {
        runId: input.runId,
        key: input.key,
        ...(input.calibrate === false ? { calibrate: false } : {}),
      },
      jobOptions,
    );
    const base = {
      final: f.final,
      observedUntil: f.observedUntil,
      horizon: f.horizon,
      confidence: input.confidence ?? 0.95,
    };
    const head = {
      final: f.final,
      observedUntil: f.observedUntil,
      horizon: f.horizon,
      model: f.model,
      calibration: f.diagnostics.calibration,
    };
    if (input.target !== undefined) {
      const verdict = decideStop({ ...base, against: { kind: 'target', target: input.target } });
      return { ...verdict, ...head };
    }
    if (typeof input.vs === 'number') {
      if (input.vs === input.runId) {
        throw new RuncastError('INVALID_INPUT', 'a run cannot be compared with itself', {
          where: { field: 'vs' },
        });
      }
      const other = await finalOf(input.vs, input.key, {
        ...jobOptions,
        calibrate: input.calibrate,
      });
      const correlation = await correlationWith(run.group, [other], base.confidence);
      const verdict = decideStop({
        ...base,
        against: {
          kind: 'run',
          other: other.final,
          ...(correlation ? { correlation: correlation.value } : {}),
        },
      });
      return { ...verdict, ...head, other, ...(correlation ? { correlation } : {}) };
    }
    const peers = run.group
      ? await db.runs.list({ group: run.group, withSeries: false })
      : await db.runs.list({ project: run.project, withSeries: false });
    const others: FinalOf[] = [];
    for (const peer of peers) {
      if (peer.id === run.id) continue;
      try {
        others.push(
          await finalOf(peer.id, input.key, { ...jobOptions, calibrate: input.calibrate }),
        );
      } catch (e) {
        // A peer that cannot be forecast yet (too few points) is not a rival yet; a busy pool
        // or an exceeded time budget is the answer to this request.
        if (isPoolRefusal(e)) throw e;
      }
    }
    if (others.length === 0) {
      throw new RuncastError(
        'INSUFFICIENT_DATA',
        `run ${run.id} has no other runs in its ${run.group ? `group "${run.group}"` : `project "${run.project}"`} to compare with`,
        { where: { field: 'vs' } },
      );
    }
    // Peers of a group share its shape; a project's runs without a group do not.
    const correlation = await correlationWith(run.group, others, base.confidence);
    const verdict = decideStop({
      ...base,
      against: {
        kind: 'best',
        others: others.map((o) => o.final),
        ...(correlation ? { correlation: correlation.value } : {}),
      },
    });
    const best = others.reduce<FinalOf | null>(
      (a, o) => (a === null || o.final.mean < a.final.mean ? o : a),
      null,
    );
    return {
      ...verdict,
      ...head,
      other: { best, runs: others.length },
      ...(correlation ? { correlation } : {}),
    };
  }

  return {
    finalOf,
    /**
     * Should the run stop? Verdicts are for runs still training: a run that is finished,
     * stopped or crashed gets 'undecided' saying so (never 'stop'), with the forecast's figures.
     */
    async shouldStop(
      input: Parameters<typeof decide>[0],
      jobOptions: FitJobOptions = {},
    ): Promise<ShouldStopResult> {
      const result = await decide(input, jobOptions);
      const run = await runs.byId(input.runId);
      if (run.status !== 'finished' && run.status !== 'stopped' && run.status !== 'crashed') {
        return result;
      }
      const why = run.statusSource ? ` (${run.statusSource})` : '';
      return {
        ...result,
        verdict: 'undecided',
        decidableAtStep: null,
        reason: `run ${run.name} is ${run.status}${why}: stop verdicts are only for running runs`,
      };
    },
    async matrix(
      input: { runIds: number[]; key?: string | undefined },
      jobOptions: FitJobOptions = {},
    ) {
      const finals: FinalOf[] = [];
      for (const id of input.runIds) finals.push(await finalOf(id, input.key, jobOptions));
      const m = computeVerdictMatrix({
        runs: finals.map((f) => ({ id: String(f.runId), final: f.final })),
      });
      return {
        runIds: input.runIds,
        p: m.beats.map((row) => row.map((v) => v ?? 0.5)),
        best: m.best,
        finals,
      };
    },
  };
}

export type DecisionsService = ReturnType<typeof createDecisionsService>;
