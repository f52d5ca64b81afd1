import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { OverlayChart } from '../components/charts/overlay-chart';
import { ErrorBox } from '../components/error-box';
import { Link } from '../components/link';
import { Skeleton } from '../components/skeleton';
import { SmoothingControls } from '../components/smoothing-controls';
import { ToggleCheckbox } from '../components/toggle-checkbox';
import { VerdictMatrix } from '../components/verdict-matrix';
import { useChartView } from '../hooks/use-chart-view';
import { useLiveEvents } from '../hooks/use-live-events';
import { useSearchParam } from '../hooks/use-location';
import { buildOverlay } from '../lib/build-overlay';
import { formatBand } from '../lib/format';
import { buildOverlaySeriesInput } from '../lib/prefetch-route';
import { buildRunHref } from '../lib/route';
import { runColor } from '../lib/run-colors';
import { useTRPC } from '../lib/trpc';
import { BacktestView } from './backtest-view';

/** View 4: runs overlaid with their forecasts, the verdict matrix, and backtests of finished runs. */
export default function ComparePage(props: { ids: number[] }) {
  const trpc = useTRPC();
  const { ids } = props;
  const view = useChartView();
  const { logX, logY, yFull, smooth } = view;
  const [forecastParam, setForecast] = useSearchParam('forecast');
  const showForecasts = forecastParam !== '0';
  useLiveEvents({ runIds: ids, enabled: ids.length > 0 });

  const runs = useQueries({
    queries: ids.map((id) => trpc.runs.byId.queryOptions({ id }, { retry: false })),
  });
  const series = useQueries({
    queries: runs.map((r, i) =>
      trpc.series.points.queryOptions(
        buildOverlaySeriesInput(ids[i]!, r.data?.lossKey ?? '', ids.length),
        { enabled: Boolean(r.data?.lossKey), staleTime: Number.POSITIVE_INFINITY },
      ),
    ),
  });
  // Fits (forecasts, matrix) are asked once the curves are in, so they never delay the chart.
  const curvesSettled =
    runs.every((r) => r.data !== undefined || r.isError) &&
    series.every((q, i) => q.data !== undefined || q.isError || !runs[i]?.data?.lossKey);
  const forecasts = useQueries({
    queries: runs.map((r, i) =>
      trpc.forecasts.get.queryOptions(
        { runId: ids[i]!, ...(r.data?.lossKey ? { key: r.data.lossKey } : {}) },
        {
          enabled: curvesSettled && showForecasts && Boolean(r.data?.lossKey),
          retry: false,
          staleTime: 60_000,
        },
      ),
    ),
  });
  const matrix = useQuery(
    trpc.decisions.matrix.queryOptions(
      { runIds: ids },
      { enabled: curvesSettled && ids.length >= 2, retry: false },
    ),
  );

  // The default smoothing width: 1/50 of the longest run's step span (as on the run page).
  const span = Math.max(
    0,
    ...series.map((q) => {
      const pts = q.data?.points;
      return pts && pts.length > 1 ? pts[pts.length - 1]![0] - pts[0]![0] : 0;
    }),
  );
  const width = view.pickSmoothWidth(span);
  const overlay = useMemo(
    () =>
      buildOverlay(
        ids.flatMap((id, i) => {
          const points = series[i]?.data?.points;
          if (!points) return [];
          const f = forecasts[i]?.data;
          return [
            {
              id,
              name: runs[i]?.data?.name ?? `run ${id}`,
              color: runColor(id),
              points,
              forecast: f ? { observedUntil: f.observedUntil, curve: f.curve } : undefined,
            },
          ];
        }),
        { logX, logY, focusY: !yFull, smooth: { method: smooth, width } },
      ),
    [ids, series, forecasts, runs, logX, logY, yFull, smooth, width],
  );

  if (ids.length === 0) {
    return (
      <section>
        <h1>Compare</h1>
        <p>
          Pick runs in the <Link href="/">runs table</Link> (checkboxes) and press Compare, or open{' '}
          <code>/compare?runs=1,2</code>.
        </p>
      </section>
    );
  }
  const names = ids.map((id, i) => runs[i]?.data?.name ?? `run ${id}`);
  const loading =
    runs.some((r) => r.isPending) || series.some((s) => s.isPending && s.fetchStatus !== 'idle');
  return (
    <section className="compare-page">
      <p className="muted" style={{ margin: 0 }}>
        <Link href="/">← runs</Link>
      </p>
      <h1>Compare {ids.length} runs</h1>
      {runs.map((r, i) =>
        r.isError ? (
          <ErrorBox
            key={ids[i]}
            error={r.error}
            context={`run ${ids[i]}`}
            // one read-token form for the page, not one per refused run
            askReadToken={i === runs.findIndex((q) => q.isError)}
          />
        ) : null,
      )}
      <div className="toolbar">
        <ToggleCheckbox checked={logX} onToggle={view.setLogX}>
          log x
        </ToggleCheckbox>
        <ToggleCheckbox checked={logY} onToggle={view.setLogY}>
          log y
        </ToggleCheckbox>
        <ToggleCheckbox checked={showForecasts} onToggle={(on) => setForecast(on ? null : '0')}>
          forecasts
        </ToggleCheckbox>
        <ToggleCheckbox checked={yFull} onToggle={view.setYFull}>
          full y range
        </ToggleCheckbox>
        <SmoothingControls
          method={smooth}
          width={width}
          unitLabel="step"
          onMethodChange={view.setSmooth}
          onWidthChange={view.setWidth}
        />
      </div>
      <div className="panel">
        {loading && overlay.series.length === 0 ? (
          <Skeleton height={420} label="loading chart" />
        ) : (
          <OverlayChart
            rows={overlay.rows}
            series={overlay.series}
            logX={logX}
            logY={logY}
            yDomain={overlay.yDomain}
          />
        )}
      </div>
      <div className="panel" style={{ overflowX: 'auto' }}>
        <table>
          <thead>
            <tr>
              <th>run</th>
              <th className="num">forecast final ± 80%</th>
              <th>model</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id, i) => (
              <tr key={id}>
                <td>
                  <span
                    className="swatch"
                    style={{ background: runColor(id) }}
                    aria-hidden="true"
                  />
                  <Link href={buildRunHref(id)}>{names[i]}</Link>
                </td>
                <td className="num">
                  {!showForecasts
                    ? '—'
                    : forecasts[i]?.data
                      ? formatBand(forecasts[i].data.final)
                      : forecasts[i]?.isError
                        ? 'n/a'
                        : '…'}
                </td>
                <td className="muted">{forecasts[i]?.data?.model ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ids.length >= 2 && (
        <div className="panel" style={{ overflowX: 'auto' }}>
          <h2 style={{ marginTop: 0 }}>Who ends lower?</h2>
          {matrix.isPending && <Skeleton height={80} />}
          {matrix.isError && <ErrorBox error={matrix.error} context="verdict matrix" />}
          {matrix.data && (
            <VerdictMatrix
              names={matrix.data.runIds.map((id) => names[ids.indexOf(id)] ?? `run ${id}`)}
              p={matrix.data.p}
            />
          )}
        </div>
      )}
      <BacktestView
        ready={curvesSettled}
        runs={ids.flatMap((id, i) =>
          runs[i]?.data?.status === 'finished' && runs[i]?.data?.lossKey
            ? [{ id, name: names[i]!, lossKey: runs[i].data.lossKey }]
            : [],
        )}
      />
    </section>
  );
}
