import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ChoiceSelect } from '../components/choice-select';
import { EmptyState } from '../components/empty-state';
import { ErrorBox } from '../components/error-box';
import { Link } from '../components/link';
import { LiveIndicator } from '../components/live-indicator';
import { Skeleton } from '../components/skeleton';
import { StatusDot } from '../components/status-dot';
import { useLiveEvents } from '../hooks/use-live-events';
import { navigate, useSearchParam } from '../hooks/use-location';
import type { RunSummary } from '../lib/api-types';
import { describeCalibration } from '../lib/describe-calibration';
import { formatAgo, formatLoss, formatSteps } from '../lib/format';
import { buildCompareHref, buildRunHref } from '../lib/route';
import { useTRPC } from '../lib/trpc';
import { RunForecastCells } from './run-forecast-cells';

type SortKey = 'updated' | 'name' | 'status' | 'created';
const SORTS: readonly SortKey[] = ['updated', 'name', 'status', 'created'];
const STATUSES = ['running', 'finished', 'crashed', 'unknown'] as const;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

function currentLoss(run: RunSummary): number | null {
  if (!run.lossKey) return null;
  return run.series.find((s) => s.key === run.lossKey)?.lastValue ?? null;
}

/** View 1: every run, filterable, with its forecast final loss and early-stop verdict. */
export function RunsPage() {
  const trpc = useTRPC();
  const [project, setProject] = useSearchParam('project');
  const [tag, setTag] = useSearchParam('tag');
  const [search, setSearch] = useSearchParam('q');
  const [sortParam, setSort] = useSearchParam('sort');
  const [statusParam, setStatus] = useSearchParam('status');
  const status = STATUSES.find((st) => st === statusParam);
  const sort: SortKey = SORTS.includes(sortParam as SortKey) ? (sortParam as SortKey) : 'updated';
  const [selected, setSelected] = useState<number[]>([]);
  const searchRef = useRef<HTMLInputElement>(null);
  const now = useNow(5000);
  const live = useLiveEvents();

  const projects = useQuery(trpc.projects.list.queryOptions());
  const calibration = useQuery(
    trpc.forecasts.calibration.queryOptions(undefined, { retry: false, staleTime: 60_000 }),
  );
  const calibrationNote = calibration.data ? describeCalibration(calibration.data) : undefined;
  const runs = useQuery(
    trpc.runs.list.queryOptions({
      ...(project ? { project } : {}),
      ...(tag ? { tag } : {}),
      ...(search ? { search } : {}),
      ...(status ? { status } : {}),
      sort,
    }),
  );
  const allTags = useMemo(() => {
    const tags = new Set<string>();
    for (const run of runs.data ?? []) for (const t of run.tags) tags.add(t);
    if (tag) tags.add(tag);
    return [...tags].sort();
  }, [runs.data, tag]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key === '/' && target?.tagName !== 'INPUT' && target?.tagName !== 'TEXTAREA') {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const toggle = (id: number) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const filtered = Boolean(project || tag || search || status);
  const noRunsAtAll =
    runs.isSuccess && runs.data.length === 0 && !filtered && (projects.data?.length ?? 0) === 0;

  return (
    <section>
      <h1>
        Runs <LiveIndicator status={live.status} />
      </h1>
      <div className="toolbar">
        <ChoiceSelect
          label="project"
          value={project ?? ''}
          choices={(projects.data ?? []).map((p) => p.name)}
          onChange={(value) => setProject(value || null)}
          emptyLabel="all"
          describe={(name) => `${name} (${projects.data?.find((p) => p.name === name)?.runs ?? 0})`}
        />
        <ChoiceSelect
          label="tag"
          value={tag ?? ''}
          choices={allTags}
          onChange={(value) => setTag(value || null)}
          emptyLabel="any"
        />
        <label>
          <span className="sr-only">search</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="search runs ( / )"
            defaultValue={search ?? ''}
            onChange={(e) => setSearch(e.target.value || null)}
          />
        </label>
        <ChoiceSelect
          label="status"
          value={status ?? ''}
          choices={STATUSES}
          onChange={(value) => setStatus(value || null)}
          emptyLabel="any"
        />
        <ChoiceSelect label="sort" value={sort} choices={SORTS} onChange={setSort} />
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          disabled={selected.length < 2}
          onClick={() => navigate(buildCompareHref(selected))}
        >
          Compare {selected.length > 0 ? `(${selected.length})` : ''}
        </button>
      </div>
      {runs.isError && <ErrorBox error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.isPending && (
        <div className="panel" aria-busy="true">
          {[0, 1, 2, 3, 4].map((i) => (
            <div key={i} style={{ marginBottom: 10 }}>
              <Skeleton height={22} />
            </div>
          ))}
        </div>
      )}
      {noRunsAtAll && <EmptyState />}
      {runs.isSuccess && !noRunsAtAll && runs.data.length === 0 && (
        <p className="muted">No run matches these filters.</p>
      )}
      {runs.isSuccess && runs.data.length > 0 && (
        <div className="panel" style={{ overflowX: 'auto' }}>
          <table className="runs-table">
            <thead>
              <tr>
                <th>
                  <span className="sr-only">select</span>
                </th>
                <th>run</th>
                <th>status</th>
                <th className="num">steps</th>
                <th className="num">loss</th>
                <th
                  className="num forecast-header"
                  title={calibrationNote}
                  data-calibrated={calibration.data?.calibrated}
                >
                  forecast final ± 80%
                  {calibration.data && (
                    <span className="muted calibration-note">
                      {calibration.data.calibrated ? 'calibrated bands' : 'uncalibrated bands'}
                    </span>
                  )}
                </th>
                <th className="num">P(beats best)</th>
                <th>verdict</th>
                <th>schedule</th>
                <th>updated</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <tr
                  key={run.id}
                  className={selected.includes(run.id) ? 'selected' : undefined}
                  data-run-id={run.id}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`select ${run.name} for comparison`}
                      checked={selected.includes(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </td>
                  <td>
                    <Link href={buildRunHref(run.id)} className="run-link">
                      {run.name}
                    </Link>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {run.project}
                      {run.tags.length > 0 && ' · '}
                      {run.tags.map((t) => (
                        <span key={t} className="tag">
                          {t}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td>
                    <StatusDot status={run.status} />
                  </td>
                  <td className="num">
                    {formatSteps(run.stepsDone)} / {formatSteps(run.stepsPlanned)}
                  </td>
                  <td className="num current-loss">{formatLoss(currentLoss(run))}</td>
                  <RunForecastCells run={run} />
                  <td>{run.scheduleKind ?? <span className="muted">—</span>}</td>
                  <td className="muted">{formatAgo(run.updatedAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
