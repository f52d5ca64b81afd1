import { isSimulatedDemoRun } from '@runcast/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Link } from '../components/link';
import { StatusDot } from '../components/status-dot';
import type { RunSummary } from '../lib/api-types';
import { P_BEATS_BEST } from '../lib/explain-terms';
import { formatAgo, formatLoss, formatSteps } from '../lib/format';
import { buildRunHref } from '../lib/route';
import { runColor } from '../lib/run-colors';
import { ariaSort, formatConfigValue, type RunsSort, type SortDir } from '../lib/runs-table-view';
import { RunForecastCells } from './run-forecast-cells';

/** Estimated row height (px); rows are measured as they render. */
const ROW_HEIGHT = 49;
/** Rows rendered beyond the visible ones (smooth scrolling without a blank flash). */
const OVERSCAN = 8;
/** Asks for the next page when the last rendered row is this close to the loaded end. */
const PREFETCH_ROWS = 20;

function currentLoss(run: RunSummary): number | null {
  if (!run.lossKey) return null;
  return run.series.find((s) => s.key === run.lossKey)?.lastValue ?? null;
}

function SortHeader(props: {
  column: RunsSort;
  label: string;
  view: { sort: RunsSort; dir: SortDir };
  onSort: (column: RunsSort) => void;
  className?: string;
  onRemove?: () => void;
}) {
  const sorted = ariaSort(props.view, props.column);
  return (
    <th aria-sort={sorted} className={props.className}>
      <button
        type="button"
        className="sort-header"
        onClick={() => props.onSort(props.column)}
        aria-label={`sort by ${props.label}`}
        title={`sort by ${props.label}`}
      >
        {props.label}
        <span aria-hidden="true" className="sort-arrow">
          {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
        </span>
      </button>
      {props.onRemove && (
        <button
          type="button"
          className="link-button remove-column"
          aria-label={`remove column ${props.label}`}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </th>
  );
}

/**
 * The runs table, virtualised: only the rows in (and near) the scrolled window are in the DOM,
 * so only their forecasts and verdicts are asked for; the next page loads as the end comes near.
 */
export function RunsTable(props: {
  runs: readonly RunSummary[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  view: { sort: RunsSort; dir: SortDir };
  onSort: (column: RunsSort) => void;
  configColumns: readonly string[];
  onRemoveColumn: (key: string) => void;
  selected: readonly number[];
  onToggle: (id: number) => void;
  calibrationHeader: React.ReactNode;
  calibrationTitle: string | undefined;
  calibrated: boolean | undefined;
  now: number;
  /** Changes with the sort and filters: the table scrolls back to its top. */
  resetKey: string;
}) {
  const { runs } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // A new sort or filter starts at the top of the table.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [props.resetKey]);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (index) => runs[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const { hasMore, loadingMore, onLoadMore } = props;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= runs.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, runs.length, onLoadMore]);
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const columns = 11 + props.configColumns.length;
  return (
    <div
      className="panel runs-scroll"
      ref={scrollRef}
      data-total={props.total}
      data-loaded={runs.length}
    >
      <table className="runs-table">
        <thead>
          <tr>
            <th className="col-select">
              <span className="sr-only">select</span>
            </th>
            <SortHeader column="name" label="run" view={props.view} onSort={props.onSort} />
            <SortHeader column="status" label="status" view={props.view} onSort={props.onSort} />
            <SortHeader
              column="group"
              label="group"
              view={props.view}
              onSort={props.onSort}
              className="col-optional"
            />
            <SortHeader
              column="steps"
              label="steps"
              view={props.view}
              onSort={props.onSort}
              className="num col-optional"
            />
            <th className="num col-optional">loss</th>
            <th
              className="num forecast-header"
              title={props.calibrationTitle}
              data-calibrated={props.calibrated}
            >
              forecast final ± 80%
              {props.calibrationHeader}
            </th>
            <th className="num col-optional" title={P_BEATS_BEST.long}>
              <abbr title={P_BEATS_BEST.long}>P(beats best)</abbr>
            </th>
            <th>verdict</th>
            {props.configColumns.map((key) => (
              <SortHeader
                key={key}
                column={`config.${key}`}
                label={key}
                view={props.view}
                onSort={props.onSort}
                className="num col-optional config-column"
                onRemove={() => props.onRemoveColumn(key)}
              />
            ))}
            <th className="col-optional">schedule</th>
            <SortHeader
              column="updated"
              label="updated"
              view={props.view}
              onSort={props.onSort}
              className="col-optional"
            />
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr className="virtual-pad">
              <td colSpan={columns} style={{ height: padTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const run = runs[item.index]!;
            const isSelected = props.selected.includes(run.id);
            return (
              <tr
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={isSelected ? 'selected' : undefined}
                data-run-id={run.id}
              >
                <td className="col-select">
                  <input
                    type="checkbox"
                    aria-label={`select ${run.name} for comparison`}
                    checked={isSelected}
                    onChange={() => props.onToggle(run.id)}
                  />
                </td>
                <td className="col-name">
                  <span
                    className="run-swatch"
                    style={{ background: runColor(run.id) }}
                    aria-hidden="true"
                  />
                  <Link href={buildRunHref(run.id)} className="run-link">
                    {run.name}
                  </Link>
                  <div className="muted run-sub">
                    {run.project}
                    {isSimulatedDemoRun(run) && (
                      <span className="tag simulated-tag">simulated demo</span>
                    )}
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
                <td className="col-optional">{run.group ?? <span className="muted">—</span>}</td>
                <td className="num col-optional">
                  {formatSteps(run.stepsDone)} / {formatSteps(run.stepsPlanned)}
                </td>
                <td className="num current-loss col-optional">{formatLoss(currentLoss(run))}</td>
                <RunForecastCells run={run} />
                {props.configColumns.map((key) => (
                  <td key={key} className="num col-optional config-value">
                    {formatConfigValue(run.config[key])}
                  </td>
                ))}
                <td className="col-optional">
                  {run.scheduleKind ?? <span className="muted">—</span>}
                </td>
                <td className="muted col-optional">{formatAgo(run.updatedAt, props.now)}</td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr className="virtual-pad">
              <td colSpan={columns} style={{ height: padBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted term-note">
        <strong>P(beats best)</strong>: {P_BEATS_BEST.short}. Verdicts are given to running runs
        only; ended runs show their result next to the forecast made from their first half.
      </p>
      {props.hasMore && (
        <p className="muted load-more">
          {props.loadingMore ? 'loading more runs…' : `${runs.length} of ${props.total} loaded`}{' '}
          <button type="button" onClick={props.onLoadMore} disabled={props.loadingMore}>
            Load more
          </button>
        </p>
      )}
    </div>
  );
}
