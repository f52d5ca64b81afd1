import { useQuery } from '@tanstack/react-query';
import { Skeleton } from '../components/skeleton';
import { VerdictBadge } from '../components/verdict-badge';
import type { RunSummary } from '../lib/api-types';
import { describeCalibration, readCalibration } from '../lib/describe-calibration';
import { describeError } from '../lib/describe-error';
import { formatBand, formatPercent } from '../lib/format';
import { useTRPC } from '../lib/trpc';

/** The runs table's forecast, P(beats best) and verdict cells for one run. */
export function RunForecastCells(props: { run: RunSummary }) {
  const trpc = useTRPC();
  const { run } = props;
  const enabled = run.lossKey !== null;
  const forecast = useQuery(
    trpc.forecasts.get.queryOptions(
      { runId: run.id },
      { enabled, retry: false, staleTime: 60_000 },
    ),
  );
  const verdict = useQuery(
    trpc.decisions.shouldStop.queryOptions(
      { runId: run.id, vs: 'best' },
      { enabled, retry: false, staleTime: 60_000 },
    ),
  );
  const calibration = readCalibration(forecast.data?.diagnostics);
  const bandNote =
    forecast.data && calibration
      ? `${forecast.data.model} · ${describeCalibration(calibration, forecast.data.model)}`
      : forecast.data?.model;
  if (!enabled) {
    return (
      <>
        <td className="num muted">no loss series</td>
        <td className="num muted">—</td>
        <td className="muted">—</td>
      </>
    );
  }
  return (
    <>
      <td className="num forecast-final" title={bandNote}>
        {forecast.isPending && <Skeleton width={90} />}
        {forecast.isError && (
          <span className="muted" title={describeError(forecast.error).message}>
            n/a
          </span>
        )}
        {forecast.data && formatBand(forecast.data.final)}
      </td>
      <td className="num">
        {verdict.isPending && <Skeleton width={40} />}
        {verdict.data && formatPercent(verdict.data.probability)}
        {verdict.isError && (
          <span className="muted" title={describeError(verdict.error).message}>
            n/a
          </span>
        )}
      </td>
      <td>
        {verdict.isError && <span className="muted">—</span>}
        {verdict.data && run.status !== 'running' && run.status !== 'unknown' && (
          <span className="muted" title={verdict.data.reason}>
            {run.status}
          </span>
        )}
        {verdict.data && (run.status === 'running' || run.status === 'unknown') && (
          <VerdictBadge
            verdict={verdict.data.verdict}
            reason={verdict.data.reason}
            probability={verdict.data.probability}
          />
        )}
      </td>
    </>
  );
}
