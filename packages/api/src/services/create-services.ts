import type { IngestPlugin } from '@runcast/core';
import type { DbHandle } from '@runcast/db';
import { createDefaultPlugins } from '../plugins';
import { createBacktestService } from './backtest-service';
import { type CalibrationView, createCalibrationService } from './calibration-service';
import { createChangeBus } from './change-bus';
import { createDecisionsService } from './decisions-service';
import { createForecastService } from './forecast-service';
import { createIngestService } from './ingest-service';
import { createLiveService } from './live-service';
import { createPushService } from './push-service';
import { createRateLimiter, type RateLimit } from './rate-limiter';
import { createRunsService } from './runs-service';
import { createScalingService } from './scaling-service';
import { createSeriesColumnsCache } from './series-columns';
import { createSeriesService } from './series-service';
import { createTokensService } from './tokens-service';

export interface ServicesOptions {
  db: DbHandle;
  /** Pushes per second per token (HTTP); the in-process caller is not limited. */
  pushRate?: RateLimit;
  /** Ingest plugins (default: every plugin Runcast ships). */
  plugins?: readonly IngestPlugin[];
  /** Finished runs backtested for the calibration, most recent first (default 32). */
  calibrationRuns?: number;
}

/** The domain layer the routers call: one object per area, sharing the store and caches. */
export function createServices(options: ServicesOptions) {
  const { db } = options;
  const bus = createChangeBus();
  const columns = createSeriesColumnsCache(db);
  const runs = createRunsService(db, { columns });
  // The calibration reads forecasts' inputs and forecasts read its last state: bound late.
  let calibrationFor: (runId: number) => CalibrationView | null = () => null;
  const forecasts = createForecastService({
    db,
    columns,
    runs,
    calibration: (runId) => calibrationFor(runId),
  });
  const calibration = createCalibrationService({
    db,
    runs,
    columns,
    forecasts,
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
    scaling: createScalingService({ db, decisions, runs }),
    backtest: createBacktestService({ runs, forecasts, calibration: calibration.forRun }),
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
    live: createLiveService({ db, bus }),
  };
}

export type Services = ReturnType<typeof createServices>;
