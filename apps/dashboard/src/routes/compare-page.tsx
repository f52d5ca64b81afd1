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
import { usePageTitle } from '../hooks/use-page-title';
import { buildOverlay } from '../lib/build-overlay';
import { formatBand, formatWithUncertainty } from '../lib/format';
import { summarizeGroups } from '../lib/group-summary';
import { buildOverlaySeriesInput } from '../lib/prefetch-route';
import { buildRunHref, parseIdList } from '../lib/route';
import { runColor } from '../lib/run-colors';
import { isEndedForBacktest } from '../lib/run-outcome';
import { useTRPC } from '../lib/trpc';
import { BacktestView } from './backtest-view';
import { ModelName } from './model-name';
import { SimulatedDemoNote } from './run-outcome-line';

/** View 4: runs overlaid with their forecasts, the verdict matrix, and backtests of finished runs. */
export default function ComparePage(props: { ids: number[] }) {
  const trpc = useTRPC();
  const { ids } = props;
  const view = useChartView();
  const { logX, logY, yFull, smooth } = view;
  const [forecastParam, setForecast] = useSearchParam('forecast');
  const showForecasts = forecastParam !== '0';
  const [hideParam, setHide] = useSearchParam('hide');
  const hidden = useMemo(() => new Set(parseIdList(hideParam)), [hideParam]);
  usePageTitle(`Compare ${ids.length} ${ids.length === 1 ? 'run' : 'runs'}`);
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

  const seedGroups = summarizeGroups(
    ids.map((id, i) => {
      const run = runs[i]?.data;
      const ended = run && (run.status === 'finished' || run.status === 'stopped');
      const last = run?.series.find((x) => x.key === run.lossKey)?.lastValue ?? null;
      return {
        id,
        group: run?.group ?? null,
        final: ended ? last : (forecasts[i]?.data?.final.mean ?? null),
      };
    }),
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
      <SimulatedDemoNote runs={runs.flatMap((r) => (r.data ? [r.data] : []))} />
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
            hidden={hidden}
            onHiddenChange={(next) => setHide([...next].join(',') || null)}
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
                <td className="muted">
                  {forecasts[i]?.data ? <ModelName model={forecasts[i].data.model} /> : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {seedGroups.length > 0 && (
        <div className="panel seed-groups" style={{ overflowX: 'auto' }}>
          <h2 style={{ marginTop: 0 }}>Seed groups</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            Runs of one group differ only by seed or noise: their spread is how much a single run
            can be trusted. Final loss: the result of ended runs, the forecast of running ones.
          </p>
          <table>
            <thead>
              <tr>
                <th>group</th>
                <th className="num">runs</th>
                <th className="num">final loss, mean ± sd</th>
                <th className="num">range</th>
              </tr>
            </thead>
            <tbody>
              {seedGroups.map((g) => (
                <tr key={g.group} data-group={g.group}>
                  <td>{g.group}</td>
                  <td className="num">{g.runs.length}</td>
                  <td className="num group-mean">{formatWithUncertainty(g.mean, g.sd)}</td>
                  <td className="num">
                    {g.min.toFixed(4)} – {g.max.toFixed(4)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
          runs[i]?.data && isEndedForBacktest(runs[i].data) && runs[i]?.data?.lossKey
            ? [{ id, name: names[i]!, lossKey: runs[i].data.lossKey }]
            : [],
        )}
      />
    </section>
  );
}
