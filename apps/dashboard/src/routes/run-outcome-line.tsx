import { isSimulatedDemoRun } from '@runcast/core';
import { useQuery } from '@tanstack/react-query';
import type { ForecastResult, RunSummary } from '../lib/api-types';
import { formatBand, formatLoss, formatPercent, formatSteps } from '../lib/format';
import { describeBand, isBandMiss, pickHindsightCut } from '../lib/run-outcome';
import { useTRPC } from '../lib/trpc';

/** The banner every view shows over simulated demo runs. */
export function SimulatedDemoNote(props: {
  runs: readonly { project: string; group: string | null }[];
}) {
  const count = props.runs.filter(isSimulatedDemoRun).length;
  if (count === 0) return null;
  return (
    <p className="simulated-note" role="note">
      <strong>simulated demo</strong>:{' '}
      {count === props.runs.length
        ? props.runs.length === 1
          ? 'this run was generated'
          : 'these runs were generated'
        : `${count} of these runs were generated`}{' '}
      by <code>runcast demo</code> from the fitted laws with noise; they are not real training.
    </p>
  );
}

/**
 * What the run page says about the run's end, in plain words. A live run: the chance the final
 * loss lands in its 80% band. An ended run: its result next to the forecast made from its first
 * half (a miss flagged). A run stopped early: the verdict that stopped it.
 */
export function RunOutcomeLine(props: { run: RunSummary; forecast: ForecastResult | undefined }) {
  const trpc = useTRPC();
  const { run, forecast } = props;
  const ended = run.status === 'finished' || run.status === 'stopped' || run.status === 'crashed';
  const loss = run.series.find((s) => s.key === run.lossKey);
  const cut = ended && loss ? pickHindsightCut(loss) : null;
  const hindsight = useQuery(
    trpc.forecasts.get.queryOptions(
      { runId: run.id, ...(run.lossKey ? { key: run.lossKey } : {}), until: cut ?? 0 },
      { enabled: cut !== null && run.lossKey !== null, retry: false, staleTime: 60_000 },
    ),
  );
  const result = loss?.lastValue ?? null;
  const stop = run.stopVerdict;
  return (
    <div className="run-outcome">
      {!ended && forecast && (
        <p className="plain-reading">
          {describeBand(forecast.final)} at step {formatSteps(forecast.horizon)}
          <span className="muted">
            {' '}
            (95%: {formatLoss(forecast.final.lo95)} – {formatLoss(forecast.final.hi95)})
          </span>
        </p>
      )}
      {ended && (
        <p className="run-result">
          final loss <strong className="final-result">{formatLoss(result)}</strong> ({run.status} at
          step {formatSteps(loss?.lastStep ?? null)})
          {hindsight.data && result !== null && (
            <span
              className={`hindsight${isBandMiss(hindsight.data.final, result) ? ' band-miss' : ''}`}
            >
              {' '}
              · forecast it would have had from step {formatSteps(cut)}:{' '}
              <strong>{formatBand(hindsight.data.final)}</strong> (
              {describeBand(hindsight.data.final)})
              {isBandMiss(hindsight.data.final, result) && (
                <span className="miss-flag" title="the result fell outside the 80% band">
                  {' '}
                  ⚠ miss: the result fell outside the 80% band
                </span>
              )}
            </span>
          )}
          {hindsight.isPending && cut !== null && <span className="muted"> · forecasting…</span>}
        </p>
      )}
      {run.status === 'stopped' && stop && (
        <p className="stop-verdict">
          Stopped early by the verdict “{stop.verdict}”
          {stop.probability != null ? ` (P = ${formatPercent(stop.probability)})` : ''}
          {stop.step != null ? ` at step ${formatSteps(stop.step)}` : ''}
          {stop.target != null ? `, target loss ${formatLoss(stop.target)}` : ''}
          {stop.vs ? `, against ${stop.vs}` : ''}
          {stop.reason ? `: ${stop.reason}` : ''}
        </p>
      )}
    </div>
  );
}
