import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { BacktestChart } from '../components/charts/backtest-chart';
import { ErrorBox } from '../components/error-box';
import { Skeleton } from '../components/skeleton';
import { formatBand, formatLoss, formatPercent } from '../lib/format';
import { isBandMiss } from '../lib/run-outcome';
import { useTRPC } from '../lib/trpc';

const CUTS = [0.2, 0.4, 0.6, 0.8];
const AUTO_RUNS = 4;

/** How far to trust the forecast: finished runs forecast from 20/40/60/80% against what happened. */
export function BacktestView(props: {
  runs: Array<{ id: number; name: string; lossKey: string }>;
  /** False until the page's curves are in (backtests are 4 fits per run). */
  ready: boolean;
}) {
  const trpc = useTRPC();
  // A few runs are backtested at once; more only on request (each costs 4 fits on the server).
  const [requested, setRequested] = useState(false);
  const auto = props.runs.length <= AUTO_RUNS;
  const results = useQueries({
    queries: props.runs.map((r) =>
      trpc.forecasts.backtest.queryOptions(
        { runId: r.id, key: r.lossKey, at: CUTS },
        {
          enabled: props.ready && (auto || requested),
          retry: false,
          staleTime: Number.POSITIVE_INFINITY,
        },
      ),
    ),
  });
  if (props.runs.length === 0) return null;
  if (!auto && !requested) {
    return (
      <section className="panel backtest-view">
        <h2 style={{ marginTop: 0 }}>Backtest (finished runs)</h2>
        <p className="muted">
          Forecast each finished run from 20/40/60/80% of its steps and compare with what happened.
        </p>
        <button type="button" onClick={() => setRequested(true)}>
          Backtest {props.runs.length} finished runs
        </button>
      </section>
    );
  }
  return (
    <section className="panel backtest-view">
      <h2 style={{ marginTop: 0 }}>Backtest (finished runs)</h2>
      <p className="muted">
        Forecasts of the final loss made from part of each run, against what happened.
      </p>
      {props.runs.map((run, i) => {
        const result = results[i];
        return (
          <div key={run.id} style={{ marginBottom: 16 }}>
            <h3 style={{ fontSize: 14, margin: '8px 0' }}>{run.name}</h3>
            {result?.isPending && <Skeleton height={160} label="backtesting" />}
            {result?.isError && <ErrorBox error={result.error} context="backtest" />}
            {result?.data && (
              <>
                <BacktestChart
                  rows={result.data.cuts.flatMap((c) =>
                    c.final
                      ? [
                          {
                            at: c.at,
                            mean: c.final.mean,
                            band80: [c.final.lo80, c.final.hi80] as const,
                            band95: [c.final.lo95, c.final.hi95] as const,
                          },
                        ]
                      : [],
                  )}
                  actual={result.data.actual}
                />
                <p className="muted backtest-misses">
                  {(() => {
                    const scored = result.data.cuts.filter((c) => c.final && c.actual !== null);
                    const misses = scored.filter((c) => isBandMiss(c.final!, c.actual!)).length;
                    return `${misses} of ${scored.length} forecasts missed: the actual final loss fell outside their 80% band`;
                  })()}
                </p>
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th>from</th>
                        <th className="num">step</th>
                        <th className="num">forecast final ± 80%</th>
                        <th className="num">actual</th>
                        <th className="num">rel. error</th>
                        <th>80% band</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.data.cuts.map((c) => (
                        <tr key={c.at}>
                          <td>{formatPercent(c.at)}</td>
                          <td className="num">{c.step}</td>
                          <td className="num" title={c.skipped ?? c.error}>
                            {c.final
                              ? formatBand(c.final)
                              : c.skipped
                                ? 'after the run ended'
                                : 'failed'}
                          </td>
                          <td className="num">{formatLoss(c.actual)}</td>
                          <td className="num">
                            {c.relError === null ? '—' : `${(c.relError * 100).toFixed(2)}%`}
                          </td>
                          <td>
                            {c.final && c.actual !== null && isBandMiss(c.final, c.actual) ? (
                              <span
                                className="miss-flag"
                                title="the actual final loss fell outside the forecast's 80% band"
                              >
                                ⚠ miss
                              </span>
                            ) : c.final ? (
                              <span className="muted">in 80%</span>
                            ) : null}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </div>
        );
      })}
    </section>
  );
}
