import type { IngestPlugin } from '@runcast/core';
import type { ForecastCacheBounds, Store } from '@runcast/db';
import { createDefaultPlugins } from '../plugins';
import { createInlineFitPool, type FitPool } from '../pool/fit-pool';
import { createBacktestService } from './backtest-service';
import { type CalibrationView, createCalibrationService } from './calibration-service';
import { createChangeBus } from './change-bus';
import { createDecisionsService } from './decisions-service';
import { createForecastService } from './forecast-service';
import { createIngestService } from './ingest-service';
import { createLiveService } from './live-service';
import { createPushService } from './push-service';
import { createRateLimiter, DEFAULT_READ_RATE, type RateLimit } from './rate-limiter';
import { createRunsService } from './runs-service';
import { createScalingService } from './scaling-service';
import { createSeriesColumnsCache } from './series-columns';
import { createSeriesService } from './series-service';
import { createTokensService } from './tokens-service';

export interface ServicesOptions {
  db: Store;
  /** Pushes per second per token (HTTP); the in-process caller is not limited. */
  pushRate?: RateLimit;
  /** Ingest plugins (default: every plugin Runcast ships). */
  plugins?: readonly IngestPlugin[];
  /** Finished runs backtested for the calibration, most recent first (default 32). */
  calibrationRuns?: number;
  /**
   * Where fits run: `runcast serve` hands in a worker pool (apps/cli); default in-thread. Not
   * closed by the services: its owner closes it.
   */
  fitPool?: FitPool;
  /** Heavy reads (forecasts, backtests, decisions, scaling) per second per token or client (HTTP). */
  readRate?: RateLimit;
  /** Bounds of the stored forecast cache (default @runcast/db DEFAULT_FORECAST_CACHE_BOUNDS). */
  forecastCache?: ForecastCacheBounds;
}

/** The domain layer the routers call: one object per area, sharing the store and caches. */
export function createServices(options: ServicesOptions) {
  const { db } = options;
  const pool = options.fitPool ?? createInlineFitPool();
  const bus = createChangeBus();
  const columns = createSeriesColumnsCache(db);
  const runs = createRunsService(db, { columns });
  // The calibration reads forecasts' inputs and forecasts read its last state: bound late.
  let calibrationFor: (runId: number) => CalibrationView | null = () => null;
  const forecasts = createForecastService({
    db,
    columns,
    runs,
    pool,
    cacheBounds: options.forecastCache,
    calibration: (runId) => calibrationFor(runId),
  });
  const calibration = createCalibrationService({
    db,
    runs,
    columns,
    forecasts,
    pool,
    ...(options.calibrationRuns !== undefined ? { maxRuns: options.calibrationRuns } : {}),
  });
  calibrationFor = calibration.forRun;
  const decisions = createDecisionsService({ db, runs, forecasts, calibration });
  return {
    db,
    bus,
    columns,
    runs,
    forecasts,
    decisions,
    calibration,
    /** Recomputes the bands' calibration from the store's finished runs (see calibration-service.ts). */
    refreshCalibration: () => calibration.refresh(),
    scaling: createScalingService({ db, decisions, runs, pool }),
    backtest: createBacktestService({ runs, forecasts, pool, calibration: calibration.forRun }),
    ingest: createIngestService({
      db,
      bus,
      runs,
      plugins: options.plugins ?? createDefaultPlugins(),
    }),
    series: createSeriesService({ db, columns }),
    tokens: createTokensService(db),
    push: createPushService({ db, onChange: () => bus.notify() }),
    pushRate: createRateLimiter(options.pushRate),
    readRate: createRateLimiter(options.readRate ?? DEFAULT_READ_RATE, 'heavy reads'),
    pool,
    live: createLiveService({ db, bus }),
  };
}

export type Services = ReturnType<typeof createServices>;
