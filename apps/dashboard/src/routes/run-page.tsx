import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ErrorBox } from '../components/error-box';
import { Link } from '../components/link';
import { LiveIndicator } from '../components/live-indicator';
import { Skeleton } from '../components/skeleton';
import { StatusDot } from '../components/status-dot';
import { useLiveEvents } from '../hooks/use-live-events';
import { usePageTitle } from '../hooks/use-page-title';
import type { ForecastResult } from '../lib/api-types';
import { estimateLogInterval } from '../lib/build-what-if';
import { describeCalibration, readCalibration } from '../lib/describe-calibration';
import { formatBand, formatSteps } from '../lib/format';
import { buildRunSeriesInput } from '../lib/prefetch-route';
import { readForecastSchedule } from '../lib/read-forecast-schedule';
import { pickChartKeys } from '../lib/run-series-keys';
import { useTRPC } from '../lib/trpc';
import { ModelName } from './model-name';
import { RunActions } from './run-actions';
import { RunCharts } from './run-charts';
import { RunMetaPanel } from './run-meta-panel';
import { RunOutcomeLine, SimulatedDemoNote } from './run-outcome-line';
import { WhatIfPanel } from './what-if-panel';

/** View 2: one run, its curves, forecast, LR, what-if panel and metadata. */
export default function RunPage(props: { runId: number }) {
  const trpc = useTRPC();
  const { runId } = props;
  const run = useQuery(trpc.runs.byId.queryOptions({ id: runId }, { retry: false }));
  const live = useLiveEvents({ runIds: [runId], enabled: run.isSuccess });
  usePageTitle(run.data?.name ?? `run ${runId}`);
  const keys = run.data
    ? pickChartKeys({
        keys: run.data.series.map((s) => s.key),
        lossKey: run.data.lossKey,
        lrKey: run.data.lrKey,
      })
    : { train: null, val: null, lr: null };
  const seriesQuery = (key: string | null) =>
    trpc.series.points.queryOptions(buildRunSeriesInput(runId, key ?? ''), {
      enabled: key !== null,
      staleTime: Number.POSITIVE_INFINITY,
    });
  const train = useQuery(seriesQuery(keys.train));
  const val = useQuery(seriesQuery(keys.val));
  const lossKey = run.data?.lossKey ?? null;
  // The forecast is asked once the curve is in: the server fits synchronously, so asking at the
  // same time would delay the first chart by the fit's duration.
  const seriesSettled =
    (keys.train === null || train.data !== undefined || train.isError) &&
    (keys.val === null || val.data !== undefined || val.isError);
  // The LR follows the loss (one long series at a time on a cold server: the loss draws first).
  const lr = useQuery({ ...seriesQuery(keys.lr), enabled: keys.lr !== null && seriesSettled });
  const forecast = useQuery(
    trpc.forecasts.get.queryOptions(
      { runId, ...(lossKey ? { key: lossKey } : {}) },
      {
        enabled: lossKey !== null && seriesSettled,
        retry: false,
        staleTime: 60_000,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const [whatIf, setWhatIf] = useState<ForecastResult | undefined>(undefined);

  const calibration = readCalibration(forecast.data?.diagnostics);
  const assumed = useMemo(
    () => readForecastSchedule(forecast.data?.diagnostics),
    [forecast.data?.diagnostics],
  );

  if (run.isPending) {
    return (
      <section aria-busy="true">
        <Skeleton height={28} width={320} label="loading run" />
        <div style={{ height: 12 }} />
        <Skeleton height={340} label="loading chart" />
      </section>
    );
  }
  if (run.isError) {
    return (
      <section>
        <p>
          <Link href="/">← runs</Link>
        </p>
        <ErrorBox error={run.error} context={`run ${runId}`} onRetry={() => void run.refetch()} />
      </section>
    );
  }
  const summary = run.data;
  const seriesError = train.error ?? val.error ?? null;
  const observedUntil = forecast.data?.observedUntil ?? summary.stepsDone ?? 0;
  const planSchedule = summary.schedule ?? assumed.schedule;
  // Nothing left to schedule: the run finished or is within 1% of its planned end.
  const ended =
    summary.status === 'finished' ||
    (forecast.data !== undefined &&
      forecast.data.horizon - observedUntil < Math.max(1, 0.01 * forecast.data.horizon));
  return (
    <section
      className="run-page"
      data-run-id={runId}
      data-forecast-until={forecast.data?.observedUntil}
    >
      <p className="muted" style={{ margin: 0 }}>
        <Link href="/">← runs</Link> · {summary.project}
        {summary.group ? ` · group ${summary.group}` : ''}
      </p>
      <h1>
        {summary.name} <StatusDot status={summary.status} /> <LiveIndicator status={live.status} />
      </h1>
      <p className="muted">
        step {formatSteps(summary.stepsDone)} of {formatSteps(summary.stepsPlanned)} · schedule{' '}
        {summary.scheduleKind ?? assumed.schedule?.kind ?? 'unknown'}
        {assumed.source && assumed.source !== 'declared' ? ` (${assumed.source})` : ''}
        {forecast.data && (
          <>
            {' '}
            · forecast final loss{' '}
            <strong className="forecast-final">{formatBand(forecast.data.final)}</strong> (
            <ModelName model={forecast.data.model} />
            {calibration && (
              <>
                ,{' '}
                <span
                  className="forecast-calibration"
                  data-calibrated={calibration.calibrated}
                  title={
                    calibration.calibrated && calibration.source
                      ? `band widths scaled by split-conformal calibration: ${calibration.source}`
                      : undefined
                  }
                >
                  {describeCalibration(calibration, forecast.data.model)}
                </span>
              </>
            )}
            )
          </>
        )}
      </p>
      <SimulatedDemoNote runs={[summary]} />
      {lossKey && <RunOutcomeLine run={summary} forecast={forecast.data} />}
      {!lossKey && (
        <div className="error-box" role="alert" data-code="NO_LOSS_SERIES">
          <strong>This run has no loss series</strong>
          <p>
            {summary.series.length === 0
              ? 'No metric has been logged for this run yet.'
              : `Logged series: ${summary.series.map((s) => s.key).join(', ')}. Nothing to forecast without a loss.`}
          </p>
        </div>
      )}
      {seriesError && <ErrorBox error={seriesError} context="series" />}
      <div className="grid-2">
        <div className="panel">
          <RunCharts
            loading={train.isPending && keys.train !== null}
            train={train.data}
            val={val.data}
            lr={lr.data}
            tokensPerStep={summary.tokensPerStep}
            forecast={forecast.data}
            whatIf={whatIf}
            plannedSchedule={planSchedule}
            run={{
              id: runId,
              name: summary.name,
              keys: summary.series.map((s) => s.key),
              drawn: [keys.train, keys.val, keys.lr],
            }}
          />
          {forecast.isError && <ErrorBox error={forecast.error} context="forecast" />}
        </div>
        <div>
          {lossKey && forecast.data && ended && (
            <section className="panel what-if" aria-label="what-if schedule">
              <h2 style={{ margin: 0 }}>What if…</h2>
              <p className="muted">
                This run has reached its planned end (step {formatSteps(forecast.data.horizon)}):
                there is no future schedule left to change.
              </p>
            </section>
          )}
          {lossKey && forecast.data && !ended && (
            <WhatIfPanel
              runId={runId}
              lossKey={lossKey}
              schedule={planSchedule}
              ambiguous={assumed.ambiguous}
              observedUntil={observedUntil}
              stepsPlanned={summary.stepsPlanned}
              currentLr={summary.series.find((s) => s.key === keys.lr)?.lastValue ?? null}
              logInterval={estimateLogInterval(summary.series.find((s) => s.key === lossKey))}
              planned={forecast.data}
              onForecast={setWhatIf}
            />
          )}
          <RunActions run={summary} />
          <RunMetaPanel run={summary} />
        </div>
      </div>
    </section>
  );
}
