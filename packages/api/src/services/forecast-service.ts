import { createHash } from 'node:crypto';
import {
  type Forecast,
  type ForecastModel,
  type Run,
  RuncastError,
  type ScheduleSpec,
} from '@runcast/core';
import type { ForecastCacheBounds, Store } from '@runcast/db';
import {
  type CurvePoint,
  type GroupDonor,
  type GroupShape,
  mixScheduleForecasts,
  type ScheduleAlternative,
} from '@runcast/fit';
import { type FitJobOptions, type FitPool, isPoolRefusal } from '../pool/fit-pool';
import type { CalibrationView } from './calibration-service';
import { canLendShape, type RunSummary } from './run-summary';
import type { RunsService } from './runs-service';
import { resolveRunSchedule } from './schedule-for-run';
import { type DonorCandidate, selectDonors } from './select-donors';
import type { SeriesColumns, SeriesColumnsCache } from './series-columns';

export interface ForecastRequest {
  runId: number;
  key?: string | undefined;
  schedule?: ScheduleSpec | undefined;
  /** Hide points after this step (a backtest). */
  until?: number | undefined;
  model?: ForecastModel | undefined;
  whatIf?: ScheduleSpec | undefined;
  /** Borrow the MPL shape from finished runs of the run's group (default: when it has a group). */
  group?: boolean | undefined;
  /** The forecast horizon when the schedule has no length. */
  horizon?: number | undefined;
  /**
   * Bands calibrated on the store's other finished runs (default true, when the last calibration
   * has enough cuts of the model); false gives the raw bands.
   */
  calibrate?: boolean | undefined;
}

/** The observed curve of a series up to `until`, as fit's CurvePoint[] (+ a content hash). */
function toCurve(cols: SeriesColumns, until: number): Curve {
  const points: CurvePoint[] = [];
  let sum = 0;
  for (let i = 0; i < cols.length; i++) {
    const step = cols.steps[i]!;
    if (step > until) break;
    const value = cols.values[i]!;
    points.push({ step, value });
    if (Number.isFinite(value)) sum += value * ((i % 7) + 1);
  }
  const last = points[points.length - 1];
  return { points, hash: `${points.length}:${last?.step}:${last?.value}:${sum}` };
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 20);
}

/**
 * Whether the bands were calibrated on the store's backtests of the other finished runs: a
 * calibration was passed and fit found an entry for the forecast's model (else its bands are the
 * raw or Student-t ones), and on how many runs and cuts.
 */
function describeCalibration(view: CalibrationView | null, result: Forecast, requested: boolean) {
  const uncertainty = result.diagnostics.uncertainty as { calibration?: unknown } | undefined;
  const source = typeof uncertainty?.calibration === 'string' ? uncertainty.calibration : 'none';
  const calibrated =
    requested && view?.calibration != null && source !== 'none' && !source.startsWith('student-t');
  return {
    calibrated,
    requested,
    backtests: view?.backtests ?? 0,
    samples: view?.samples ?? 0,
    leftOut: view?.leftOut ?? null,
    version: view?.version ?? 'none',
    source,
  };
}

/**
 * A series that goes negative is not a loss (a log-likelihood, a reward, a difference): refused
 * with a message naming the run, the series and where it went negative (fit refuses it too).
 */
function refuseNegativeSeries(run: Run, key: string, points: ReadonlyArray<CurvePoint>): void {
  let worst: CurvePoint | null = null;
  for (const p of points) if (p.value < 0 && (!worst || p.value < worst.value)) worst = p;
  if (!worst) return;
  throw new RuncastError(
    'INVALID_INPUT',
    `run ${run.id} (${run.name}): series ${JSON.stringify(key)} goes negative (${worst.value} at step ${worst.step}); ` +
      'forecasts model a positive loss falling towards a floor, so a metric that can be negative ' +
      'cannot be forecast: choose a loss series with --key',
    { where: { field: 'key' } },
  );
}

const MEMORY_ENTRIES = 256;
/** Runs' curves kept as fit input (each up to the run's length in points). */
const MAX_INPUTS = 64;

interface Curve {
  points: CurvePoint[];
  hash: string;
}

/** A run's data as fit input. */
interface RunInput {
  summary: RunSummary;
  cols: SeriesColumns;
  curve: Curve;
  lr: Curve | null;
  lastStep: number;
  lrCols: SeriesColumns | undefined;
}

/**
 * Forecasts as a service: observed series + logged LR + schedule -> @runcast/fit's forecast().
 * Results are cached in the store (forecast_cache, bounded in rows and bytes, least recently used
 * out) keyed by (run, key, last step, schedule hash, model) - the hash also covers the data, the cut, the what-if and the donors, so new points
 * invalidate - with a small in-memory layer in front. Group mode fits the donors' shared MPL shape
 * once per donor set and keeps it in memory.
 */
export function createForecastService(options: {
  db: Store;
  columns: SeriesColumnsCache;
  runs: RunsService;
  /** Where the fits run (a worker pool in the server, in-thread in tests and the CLI). */
  pool: FitPool;
  /** Bounds of the stored forecast cache (least recently used out; @runcast/db's default). */
  cacheBounds?: ForecastCacheBounds | undefined;
  /**
   * The last finished calibration with the run's own cuts left out (calibration-service.ts
   * forRun); never computed inside a request.
   */
  calibration?: (runId: number) => CalibrationView | null;
}) {
  const { db, columns, runs, pool } = options;
  const memory = new Map<string, Forecast>();
  const shapes = new Map<string, { shape: GroupShape | null; donors: number }>();
  const lastSaved = new Map<string, number>();

  function remember(id: string, f: Forecast): void {
    memory.delete(id);
    memory.set(id, f);
    if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  }

  const inputs = new Map<string, RunInput>();

  async function readInput(run: Run, key: string, until: number): Promise<RunInput | null> {
    const cols = await columns.get({ runId: run.id, key });
    if (!cols || cols.length === 0) return null;
    const summary = await runs.byId(run.id);
    const lrCols = summary.lrKey
      ? await columns.get({ runId: run.id, key: summary.lrKey })
      : undefined;
    const memoId = `${run.id}\u0000${key}\u0000${until}\u0000${cols.version}\u0000${lrCols?.version}`;
    const memo = inputs.get(memoId);
    if (memo) {
      inputs.delete(memoId);
      inputs.set(memoId, memo);
      return memo;
    }
    const curve = toCurve(cols, until);
    const lastStep = curve.points[curve.points.length - 1]?.step ?? 0;
    const lr = lrCols ? toCurve(lrCols, until) : null;
    const input = { summary, cols, curve, lr, lastStep, lrCols };
    // Least recently used first out; a few dozen runs' curves at most.
    if (inputs.size >= MAX_INPUTS) inputs.delete(inputs.keys().next().value as string);
    inputs.set(memoId, input);
    return input;
  }

  /** A run's loss curve and logged LR as fit input (memoised per data version); null when absent. */
  function runInput(
    run: Run,
    key: string,
    until = Number.POSITIVE_INFINITY,
  ): Promise<RunInput | null> {
    return readInput(run, key, until);
  }

  /**
   * The shared MPL shape of the run's group: donors chosen among the siblings that can lend their
   * shape (run-summary.ts canLendShape: complete, or an idle log whose LR dropped; select-donors.ts),
   * fitted once per donor set and kept in memory.
   */
  async function groupShapeFor(
    target: {
      run: Run;
      key: string;
      schedule: ScheduleSpec;
      input: RunInput;
    },
    jobOptions: FitJobOptions = {},
  ): Promise<{ shape: GroupShape | null; donors: number }> {
    const { run, key } = target;
    if (!run.group) return { shape: null, donors: 0 };
    const candidates: DonorCandidate<{
      run: Run;
      cols: SeriesColumns;
      lrCols: SeriesColumns | undefined;
      schedule: ScheduleSpec;
      horizon?: number;
    }>[] = [];
    // Candidates are judged on the cached columns; curves are built for the chosen donors only.
    for (const listed of await db.runs.list({ group: run.group })) {
      if (listed.id === run.id) continue;
      const other = await runs.summarize(listed, listed.series);
      if (!canLendShape(other)) continue;
      const cols = await columns.get({ runId: other.id, key });
      if (!cols || cols.length === 0) continue;
      const lrCols = other.lrKey
        ? await columns.get({ runId: other.id, key: other.lrKey })
        : undefined;
      try {
        const resolved = resolveRunSchedule({
          run: other,
          lr: lrCols,
          lastStep: cols.steps[cols.length - 1]!,
        });
        candidates.push({
          id: other.id,
          schedule: resolved.schedule,
          createdAt: other.createdAt,
          steps: cols.steps,
          values: cols.values,
          payload: {
            run: other,
            cols,
            lrCols,
            schedule: resolved.schedule,
            ...(resolved.horizon ? { horizon: resolved.horizon } : {}),
          },
        });
      } catch {
        // A donor without a known schedule cannot lend its shape.
      }
    }
    const n = target.input.curve.points.length;
    const chosen = selectDonors(
      {
        schedule: target.schedule,
        createdAt: run.createdAt,
        steps: target.input.cols.steps.subarray(0, n),
        values: target.input.cols.values.subarray(0, n),
      },
      candidates,
    );
    if (chosen.length === 0) return { shape: null, donors: 0 };
    const id = [
      run.group,
      key,
      ...chosen.map(
        ({ candidate: { payload: p }, dropBefore }) =>
          `${p.run.id}:${p.run.updatedAt}:${p.cols.version}:${p.lrCols?.version ?? '-'}:${dropBefore}`,
      ),
    ].join('\u0000');
    const known = shapes.get(id);
    if (known !== undefined) return known;
    const donors: GroupDonor[] = [];
    for (const {
      candidate: { payload: p },
      dropBefore,
    } of chosen) {
      const input = await runInput(p.run, key);
      if (!input) continue;
      donors.push({
        id: String(p.run.id),
        points: input.curve.points.filter((q) => q.step > dropBefore),
        schedule: p.schedule,
        ...(input.lr ? { lr: input.lr.points } : {}),
        ...(p.horizon ? { horizon: p.horizon } : {}),
      });
    }
    let shape: GroupShape | null = null;
    try {
      shape = await pool.run({ kind: 'group-shape', input: donors }, jobOptions);
    } catch (e) {
      // A shape that cannot be fitted is no shape; a busy, timed-out or cancelled pool is an answer.
      if (isPoolRefusal(e)) throw e;
      shape = null;
    }
    if (shapes.size > 64) shapes.clear();
    const result = { shape, donors: shape ? donors.length : 0 };
    shapes.set(id, result);
    return result;
  }

  async function get(request: ForecastRequest, jobOptions: FitJobOptions = {}): Promise<Forecast> {
    const t0 = performance.now();
    const summary = await runs.byId(request.runId);
    const key = request.key ?? summary.lossKey;
    if (!key) {
      throw new RuncastError(
        'INSUFFICIENT_DATA',
        `run ${summary.id} has no loss series to forecast`,
        {
          where: { field: 'key' },
        },
      );
    }
    const input = await runInput(summary, key, request.until ?? Number.POSITIVE_INFINITY);
    if (!input) {
      throw new RuncastError('NOT_FOUND', `run ${summary.id} has no series ${JSON.stringify(key)}`);
    }
    refuseNegativeSeries(summary, key, input.curve.points);
    const resolved = resolveRunSchedule({
      run: request.until === undefined ? summary : { ...summary, status: 'finished' },
      given: request.schedule,
      lr: input.lrCols,
      lastStep: input.cols.steps[input.cols.length - 1] ?? input.lastStep,
      horizon: request.horizon,
    });
    const model = request.model ?? 'auto';
    const useGroup = request.group ?? summary.group !== null;
    const group =
      useGroup && model !== 'power' && model !== 'mtl'
        ? await groupShapeFor({ run: summary, key, schedule: resolved.schedule, input }, jobOptions)
        : null;
    const horizon = request.horizon ?? resolved.horizon;
    const calibrate = request.calibrate !== false;
    const calibration = options.calibration?.(summary.id) ?? null;
    const cacheKey = {
      runId: summary.id,
      key,
      lastStep: input.lastStep,
      scheduleHash: hashOf({
        schedule: resolved.schedule,
        alternatives: resolved.alternatives ?? null,
        whatIf: request.whatIf ?? null,
        until: request.until ?? null,
        horizon: horizon ?? null,
        data: input.curve.hash,
        lr: input.lr?.hash ?? null,
        shape: group?.shape ? hashOf(group.shape.shared) : null,
        calibration: calibrate ? (calibration?.version ?? 'none') : 'raw',
      }),
      model,
    };
    const memoryId = JSON.stringify(cacheKey);
    const seriesId = `${summary.id}\u0000${key}`;
    const hit =
      memory.get(memoryId) ?? ((await db.forecasts.get(cacheKey)) as Forecast | undefined);
    if (hit) {
      remember(memoryId, hit);
      return {
        ...hit,
        diagnostics: {
          ...hit.diagnostics,
          cache: 'hit',
          timings: { ...(hit.diagnostics.timings as object), serviceMs: performance.now() - t0 },
        },
      };
    }
    const tFit = performance.now();
    const common = {
      points: input.curve.points,
      model,
      ...(input.lr ? { lr: input.lr.points } : {}),
      ...(horizon ? { horizon } : {}),
      ...(group?.shape ? { group: { shape: group.shape } } : {}),
      ...(calibrate && calibration?.calibration ? { calibration: calibration.calibration } : {}),
    };
    let result = await pool.run(
      {
        kind: 'forecast',
        input: {
          ...common,
          schedule: resolved.schedule,
          ...(request.whatIf ? { whatIf: request.whatIf } : {}),
        },
      },
      jobOptions,
    );
    // An assumed future schedule: the band mixes the forecasts under its plausible alternatives.
    const alternatives: ScheduleAlternative[] = [];
    for (const schedule of resolved.alternatives ?? []) {
      try {
        const forecast = await pool.run(
          { kind: 'forecast', input: { ...common, schedule } },
          jobOptions,
        );
        alternatives.push({ schedule, forecast });
      } catch (e) {
        // An alternative that cannot be forecast does not widen the band (a busy pool answers).
        if (isPoolRefusal(e)) throw e;
      }
    }
    if (alternatives.length > 0) result = mixScheduleForecasts({ primary: result, alternatives });
    const fitMs = performance.now() - tFit;
    const out: Forecast = {
      ...result,
      diagnostics: {
        ...result.diagnostics,
        key,
        schedule: resolved.schedule,
        scheduleSource: resolved.source,
        scheduleAssumption: {
          ...resolved.assumption,
          widened: alternatives.length > 0,
          alternatives: alternatives.length,
        },
        ...(resolved.ambiguous ? { scheduleAmbiguous: resolved.ambiguous } : {}),
        groupDonors: group?.donors ?? 0,
        calibration: describeCalibration(calibrate ? calibration : null, result, calibrate),
        cache: 'miss',
        timings: {
          ...(result.diagnostics.timings as object),
          forecastMs: fitMs,
          serviceMs: performance.now() - t0,
        },
      },
    };
    if (lastSaved.get(seriesId) !== input.lastStep) {
      await db.forecasts.clear({ runId: summary.id, key });
      lastSaved.set(seriesId, input.lastStep);
    }
    await db.forecasts.save({
      ...cacheKey,
      result: out,
      ...(options.cacheBounds ? { bounds: options.cacheBounds } : {}),
    });
    remember(memoryId, out);
    return out;
  }

  return {
    get,
    runInput,
    groupShapeFor,
  };
}

export type ForecastService = ReturnType<typeof createForecastService>;
