import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { createXAxisTitle, createYAxisTitle } from '../components/charts/axis-props';
import { TOOLTIP_STYLE } from '../components/charts/chart-frame';
import { useSearchParam } from '../hooks/use-location';
import { formatLoss } from '../lib/format';
import {
  buildMetricRows,
  isLossLikeMetric,
  listOtherMetrics,
  readHiddenMetrics,
} from '../lib/metric-panels';
import { useTRPC } from '../lib/trpc';
import type { XAxisMap } from '../lib/x-axis';

/** Points per small chart (a hard cap: the server min/max-downsamples to it). */
const PANEL_POINTS = 400;
/** Small charts drawn at most (the rest listed, hidden). */
const MAX_PANELS = 12;

function MetricPanel(props: {
  runId: number;
  metric: string;
  points: readonly (readonly [number, number | null])[] | undefined;
  xMap: XAxisMap;
  xDomain: [number, number] | null;
}) {
  const trpc = useTRPC();
  const [wantForecast, setWantForecast] = useState(false);
  const forecast = useQuery(
    trpc.forecasts.get.queryOptions(
      { runId: props.runId, key: props.metric },
      { enabled: wantForecast, retry: false, staleTime: 60_000 },
    ),
  );
  const rows = useMemo(
    () =>
      buildMetricRows({
        points: props.points ?? [],
        toX: props.xMap.toX,
        forecast: wantForecast ? forecast.data : undefined,
      }),
    [props.points, props.xMap, wantForecast, forecast.data],
  );
  return (
    <figure className="metric-panel" data-metric={props.metric}>
      <figcaption>
        <strong>{props.metric}</strong>
        {isLossLikeMetric(props.metric) && (
          <button
            type="button"
            className="link-button"
            aria-pressed={wantForecast}
            onClick={() => setWantForecast((on) => !on)}
          >
            {wantForecast ? 'hide forecast' : 'forecast'}
          </button>
        )}
        {wantForecast && forecast.isPending && <span className="muted"> fitting…</span>}
        {wantForecast && forecast.isError && (
          <span className="muted"> no forecast: {forecast.error.message}</span>
        )}
      </figcaption>
      <ResponsiveContainer width="100%" height={150} minWidth={0}>
        <ComposedChart data={rows} margin={{ top: 4, right: 8, bottom: 6, left: 0 }}>
          <CartesianGrid className="grid" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={props.xDomain ?? ['dataMin', 'dataMax']}
            allowDataOverflow
            tickFormatter={props.xMap.formatTick}
            minTickGap={24}
            fontSize={11}
            height={34}
            label={createXAxisTitle(props.xMap.label)}
          />
          <YAxis
            type="number"
            domain={['auto', 'auto']}
            width={62}
            fontSize={11}
            tickFormatter={(v: number) => formatLoss(v)}
            label={createYAxisTitle(props.metric)}
          />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            isAnimationActive={false}
            labelFormatter={(x) => `${props.xMap.label} ${props.xMap.formatTick(Number(x))}`}
            formatter={(value) =>
              Array.isArray(value)
                ? `${formatLoss(value[0])} – ${formatLoss(value[1])}`
                : formatLoss(Number(value))
            }
          />
          {wantForecast && forecast.data && (
            <Area
              dataKey="band80"
              name="forecast 80% band"
              stroke="none"
              fill="var(--c-band80)"
              fillOpacity={0.35}
              isAnimationActive={false}
              connectNulls
            />
          )}
          <Line
            dataKey="value"
            name={props.metric}
            className="metric-line"
            stroke="var(--c-train)"
            dot={false}
            isAnimationActive={false}
            connectNulls
            strokeWidth={1.25}
          />
          {wantForecast && forecast.data && (
            <Line
              dataKey="mean"
              name="forecast"
              className="metric-forecast-line"
              stroke="var(--c-forecast)"
              strokeDasharray="6 4"
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * Small multiples: every other metric of the run on the same x-axis (and zoom) as the loss chart,
 * each hideable (kept in the URL as ?mhide=a,b), a forecast on request for loss-like ones.
 */
export function MetricPanels(props: {
  runId: number;
  keys: readonly string[];
  drawn: readonly (string | null)[];
  xMap: XAxisMap;
  xDomain: [number, number] | null;
}) {
  const trpc = useTRPC();
  const [hideParam, setHide] = useSearchParam('mhide');
  const hidden = readHiddenMetrics(hideParam);
  const metrics = listOtherMetrics({ keys: props.keys, drawn: props.drawn });
  const shown = metrics.filter((m) => !hidden.has(m)).slice(0, MAX_PANELS);
  const series = useQueries({
    queries: shown.map((key) =>
      trpc.series.points.queryOptions(
        { runId: props.runId, key, maxPoints: PANEL_POINTS },
        { staleTime: Number.POSITIVE_INFINITY },
      ),
    ),
  });
  if (metrics.length === 0) return null;
  const toggle = (key: string) => {
    const next = new Set(hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setHide([...next].join(',') || null);
  };
  return (
    <section className="metric-panels" aria-label="other metrics">
      <h2>Other metrics</h2>
      <fieldset className="toolbar metric-toggles" aria-label="metrics shown">
        {metrics.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={!hidden.has(m)} onChange={() => toggle(m)} />
            {m}
          </label>
        ))}
      </fieldset>
      <div className="metric-grid">
        {shown.map((m, i) => (
          <MetricPanel
            key={m}
            runId={props.runId}
            metric={m}
            points={series[i]?.data?.points}
            xMap={props.xMap}
            xDomain={props.xDomain}
          />
        ))}
      </div>
    </section>
  );
}
