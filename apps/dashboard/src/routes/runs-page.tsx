import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChoiceSelect } from '../components/choice-select';
import { EmptyState } from '../components/empty-state';
import { ErrorBox } from '../components/error-box';
import { LiveIndicator } from '../components/live-indicator';
import { Skeleton } from '../components/skeleton';
import { useLiveEvents } from '../hooks/use-live-events';
import { navigate, useSearchParam } from '../hooks/use-location';
import { usePageTitle } from '../hooks/use-page-title';
import { describeCalibration } from '../lib/describe-calibration';
import { buildCompareHref } from '../lib/route';
import {
  collectConfigKeys,
  type RunsSort,
  readConfigColumns,
  readSort,
  toggleSort,
  writeConfigColumns,
} from '../lib/runs-table-view';
import { useTRPC } from '../lib/trpc';
import { RunsTable } from './runs-table';

const STATUSES = ['running', 'finished', 'stopped', 'crashed', 'unknown'] as const;
/** Runs per page of runs.page (the table virtualises the rows it has). */
const PAGE_SIZE = 100;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** View 1: every run, filterable, with its forecast final loss and early-stop verdict. */
export function RunsPage() {
  const trpc = useTRPC();
  usePageTitle('Runs');
  const [project, setProject] = useSearchParam('project');
  const [tag, setTag] = useSearchParam('tag');
  const [group, setGroup] = useSearchParam('group');
  const [search, setSearch] = useSearchParam('q');
  const [sortParam, setSortParam] = useSearchParam('sort');
  const [dirParam, setDirParam] = useSearchParam('dir');
  const [colsParam, setColsParam] = useSearchParam('cols');
  const [statusParam, setStatus] = useSearchParam('status');
  const status = STATUSES.find((st) => st === statusParam);
  const view = readSort(sortParam, dirParam);
  const configColumns = readConfigColumns(colsParam);
  const [selected, setSelected] = useState<number[]>([]);
  const searchRef = useRef<HTMLInputElement>(null);
  const now = useNow(5000);
  const live = useLiveEvents();

  const projects = useQuery(trpc.projects.list.queryOptions());
  const calibration = useQuery(
    trpc.forecasts.calibration.queryOptions(undefined, { retry: false, staleTime: 60_000 }),
  );
  const calibrationNote = calibration.data ? describeCalibration(calibration.data) : undefined;
  const runs = useInfiniteQuery(
    trpc.runs.page.infiniteQueryOptions(
      {
        ...(project ? { project } : {}),
        ...(tag ? { tag } : {}),
        ...(group ? { group } : {}),
        ...(search ? { search } : {}),
        ...(status ? { status } : {}),
        sort: view.sort,
        dir: view.dir,
        limit: PAGE_SIZE,
      },
      { getNextPageParam: (last) => last.nextCursor, placeholderData: (previous) => previous },
    ),
  );
  const rows = useMemo(() => runs.data?.pages.flatMap((p) => p.runs) ?? [], [runs.data]);
  const first = runs.data?.pages[0];
  const counts = first?.counts;
  const allTags = useMemo(() => {
    const tags = new Set((counts?.tags ?? []).map((t) => t.name));
    if (tag) tags.add(tag);
    return [...tags].sort();
  }, [counts, tag]);
  const groups = useMemo(() => {
    const names = (counts?.groups ?? []).map((g) => g.name);
    if (group && !names.includes(group)) names.push(group);
    return names;
  }, [counts, group]);
  const configKeys = useMemo(
    () => collectConfigKeys(rows.slice(0, 500)).filter((k) => !configColumns.includes(k)),
    [rows, configColumns],
  );

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

  const onSort = (column: RunsSort) => {
    const next = toggleSort(view, column);
    setSortParam(next.sort === 'updated' ? null : next.sort);
    setDirParam(next.dir);
  };
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = runs;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const toggle = (id: number) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const filtered = Boolean(project || tag || search || status || group);
  const noRunsAtAll =
    runs.isSuccess && first?.total === 0 && !filtered && (projects.data?.length ?? 0) === 0;
  const statusCount = (st: string) => counts?.status[st as (typeof STATUSES)[number]] ?? 0;

  return (
    <section>
      <h1>
        Runs <LiveIndicator status={live.status} />
        {first && (
          <span className="muted run-total">
            {' '}
            {first.total.toLocaleString('en-US')} {first.total === 1 ? 'run' : 'runs'}
          </span>
        )}
      </h1>
      <div className="toolbar">
        <ChoiceSelect
          label="project"
          value={project ?? ''}
          choices={(projects.data ?? []).map((p) => p.name)}
          onChange={(value) => setProject(value || null)}
          emptyLabel="all"
          describe={(name) =>
            `${name} (${counts?.projects.find((p) => p.name === name)?.runs ?? 0})`
          }
        />
        <ChoiceSelect
          label="group"
          value={group ?? ''}
          choices={groups}
          onChange={(value) => setGroup(value || null)}
          emptyLabel="any"
          describe={(name) => `${name} (${counts?.groups.find((g) => g.name === name)?.runs ?? 0})`}
        />
        <ChoiceSelect
          label="tag"
          value={tag ?? ''}
          choices={allTags}
          onChange={(value) => setTag(value || null)}
          emptyLabel="any"
          describe={(name) => `${name} (${counts?.tags.find((t) => t.name === name)?.runs ?? 0})`}
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
          describe={(st) => `${st} (${statusCount(st)})`}
        />
        <ChoiceSelect
          label="column"
          value=""
          choices={configKeys}
          onChange={(key) => key && setColsParam(writeConfigColumns([...configColumns, key]))}
          emptyLabel="add config…"
        />
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
      {runs.isSuccess && !noRunsAtAll && rows.length === 0 && (
        <p className="muted">No run matches these filters.</p>
      )}
      {runs.isSuccess && rows.length > 0 && first && (
        <RunsTable
          runs={rows}
          total={first.total}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          onLoadMore={loadMore}
          view={view}
          onSort={onSort}
          configColumns={configColumns}
          onRemoveColumn={(key) =>
            setColsParam(writeConfigColumns(configColumns.filter((k) => k !== key)))
          }
          selected={selected}
          onToggle={toggle}
          calibrationTitle={calibrationNote}
          calibrated={calibration.data?.calibrated}
          calibrationHeader={
            calibration.data && (
              <span className="muted calibration-note">
                {calibration.data.calibrated ? 'calibrated bands' : 'uncalibrated bands'}
              </span>
            )
          }
          now={now}
          resetKey={JSON.stringify([project, tag, group, search, status, view.sort, view.dir])}
        />
      )}
    </section>
  );
}
