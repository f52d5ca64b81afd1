import { useQuery } from '@tanstack/react-query';
import { Skeleton } from '../components/skeleton';
import { VerdictBadge } from '../components/verdict-badge';
import type { RunSummary } from '../lib/api-types';
import { describeCalibration, readCalibration } from '../lib/describe-calibration';
import { describeError } from '../lib/describe-error';
import { formatBand, formatLoss, formatPercent } from '../lib/format';
import { describeBand, isBandMiss, pickHindsightCut, wantsVerdict } from '../lib/run-outcome';
import { useTRPC } from '../lib/trpc';

/**
 * The runs table's forecast, P(beats best) and verdict cells for one run. A running run: its
 * forecast final loss and early-stop verdict. An ended run: its result next to the forecast it
 * would have had halfway (a miss flagged), no verdict; a run stopped early shows what stopped it.
 */
export function RunForecastCells(props: { run: RunSummary }) {
  const trpc = useTRPC();
  const { run } = props;
  const loss = run.series.find((s) => s.key === run.lossKey);
  const live = wantsVerdict(run.status);
  const ended = run.status === 'finished' || run.status === 'stopped' || run.status === 'crashed';
  const cut = ended && loss ? pickHindsightCut(loss) : null;
  const enabled = run.lossKey !== null && (!ended || cut !== null);
  const forecast = useQuery(
    trpc.forecasts.get.queryOptions(
      { runId: run.id, ...(cut !== null ? { until: cut } : {}) },
      { enabled, retry: false, staleTime: 60_000 },
    ),
  );
  // The verdict (a forecast of every running rival of the group) is asked once this row's own
  // forecast has settled: the table's forecasts come first, and the verdict reuses the cached one.
  const forecastSettled = forecast.isSuccess || forecast.isError;
  const verdict = useQuery(
    trpc.decisions.shouldStop.queryOptions(
      { runId: run.id, vs: 'best' },
      { enabled: enabled && live && forecastSettled, retry: false, staleTime: 60_000 },
    ),
  );
  const calibration = readCalibration(forecast.data?.diagnostics);
  const bandNote =
    forecast.data && calibration
      ? `${forecast.data.model} · ${describeCalibration(calibration, forecast.data.model)}`
      : forecast.data?.model;
  if (run.lossKey === null) {
    return (
      <>
        <td className="num muted">no loss series</td>
        <td className="num muted col-optional">—</td>
        <td className="muted">—</td>
      </>
    );
  }
  const result = loss?.lastValue ?? null;
  const miss = ended && forecast.data && result !== null && isBandMiss(forecast.data.final, result);
  const stopped = run.stopVerdict;
  return (
    <>
      <td
        className="num forecast-final"
        title={
          forecast.data
            ? `${bandNote}${ended ? ` · forecast from the first half of the run` : ''} · ${describeBand(forecast.data.final)}`
            : undefined
        }
        data-phase={ended ? 'ended' : 'live'}
      >
        {ended && (
          <span className="final-result">
            {formatLoss(result)} <span className="muted">result</span>
          </span>
        )}
        {ended && cut === null && <div className="muted hindsight">too short for a forecast</div>}
        {enabled && forecast.isPending && <Skeleton width={90} />}
        {forecast.isError && (
          <span className="muted" title={describeError(forecast.error).message}>
            n/a
          </span>
        )}
        {forecast.data && !ended && formatBand(forecast.data.final)}
        {forecast.data && ended && (
          <div className={`muted hindsight${miss ? ' band-miss' : ''}`}>
            forecast at half-way {formatBand(forecast.data.final)}
            {miss && (
              <span className="miss-flag" title="the result fell outside the 80% band">
                {' '}
                ⚠ miss
              </span>
            )}
          </div>
        )}
      </td>
      <td className="num col-optional">
        {!live && <span className="muted">—</span>}
        {live && verdict.isPending && <Skeleton width={40} />}
        {live && verdict.data && formatPercent(verdict.data.probability)}
        {live && verdict.isError && (
          <span className="muted" title={describeError(verdict.error).message}>
            n/a
          </span>
        )}
      </td>
      <td>
        {live && verdict.isError && <span className="muted">—</span>}
        {live && verdict.data && (
          <VerdictBadge
            verdict={verdict.data.verdict}
            reason={verdict.data.reason}
            probability={verdict.data.probability}
          />
        )}
        {!live && stopped && run.status === 'stopped' && (
          <span
            className="muted stop-verdict"
            title={[stopped.reason, stopped.step != null ? `at step ${stopped.step}` : null]
              .filter(Boolean)
              .join(' · ')}
          >
            stopped by verdict “{stopped.verdict}”
            {stopped.probability != null ? ` (P = ${formatPercent(stopped.probability)})` : ''}
          </span>
        )}
        {!live && !(stopped && run.status === 'stopped') && (
          <span className="muted">{ended ? run.status : '—'}</span>
        )}
      </td>
    </>
  );
}
