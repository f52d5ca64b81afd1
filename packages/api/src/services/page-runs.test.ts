import type { RunStatus } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { pageRuns } from './page-runs';
import type { RunSummary } from './run-summary';

const STATUSES: RunStatus[] = ['running', 'finished', 'stopped', 'crashed', 'unknown'];

function run(id: number): RunSummary {
  return {
    id,
    key: `key-${id}`,
    project: id % 2 ? 'odd' : 'even',
    name: `run-${String(id).padStart(3, '0')}`,
    group: id % 3 === 0 ? null : `g${id % 3}`,
    status: STATUSES[id % 5]!,
    statusSource: null,
    config: id % 4 === 0 ? {} : { lr: 1e-3 * (id % 7), arch: id % 2 ? 'moe' : 'dense' },
    tags: id % 10 === 0 ? ['baseline'] : [],
    notes: '',
    schedule: null,
    params: null,
    tokensPerStep: null,
    stepsPlanned: null,
    stepsPlannedSource: null,
    summary: {},
    stopVerdict: null,
    createdAt: 1000 + id,
    updatedAt: 5000 - (id % 17),
    series: [],
    lossKey: null,
    lossKeys: [],
    lrKey: null,
    stepsDone: id % 5 === 0 ? null : id * 10,
    lrDropped: false,
    scheduleKind: null,
  };
}

const RUNS = Array.from({ length: 95 }, (_, i) => run(i + 1));

/** Every page of a listing, following the cursors. */
function allPages(options: Omit<Parameters<typeof pageRuns>[0], 'runs' | 'cursor'>) {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = pageRuns({ runs: RUNS, ...options, cursor });
    ids.push(...page.runs.map((r) => r.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { ids, pages };
}

describe('pageRuns', () => {
  it('follows cursors through every run exactly once, in the sort order', () => {
    for (const sort of [
      'updated',
      'created',
      'name',
      'status',
      'group',
      'steps',
      'config.lr',
    ] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const { ids, pages } = allPages({ sort, dir, limit: 10 });
        expect(new Set(ids).size).toBe(95);
        expect(pages).toBe(10);
        const whole = pageRuns({ runs: RUNS, sort, dir, limit: 1000 }).runs.map((r) => r.id);
        expect(ids).toEqual(whole);
      }
    }
  });

  it('sorts by the named field with nulls last and ties by id', () => {
    const byName = pageRuns({ runs: RUNS, sort: 'name', limit: 3 }).runs.map((r) => r.name);
    expect(byName).toEqual(['run-001', 'run-002', 'run-003']);
    const updated = pageRuns({ runs: RUNS, limit: 95 }).runs;
    for (let i = 1; i < updated.length; i++) {
      const [a, b] = [updated[i - 1]!, updated[i]!];
      expect(a.updatedAt > b.updatedAt || (a.updatedAt === b.updatedAt && a.id < b.id)).toBe(true);
    }
    for (const dir of ['asc', 'desc'] as const) {
      const steps = pageRuns({ runs: RUNS, sort: 'steps', dir, limit: 95 }).runs;
      expect(steps.slice(-19).every((r) => r.stepsDone === null)).toBe(true);
      const lr = pageRuns({ runs: RUNS, sort: 'config.lr', dir, limit: 95 }).runs;
      expect(lr.slice(-23).every((r) => r.config.lr === undefined)).toBe(true);
    }
    const grouped = pageRuns({ runs: RUNS, sort: 'group', limit: 95 }).runs.map((r) => r.group);
    expect(grouped.indexOf(null)).toBe(grouped.filter((g) => g !== null).length);
  });

  it('filters and counts each facet with the other filters applied', () => {
    const page = pageRuns({
      runs: RUNS,
      filters: { project: 'odd', status: 'running' },
      limit: 5,
    });
    const expected = RUNS.filter((r) => r.project === 'odd' && r.status === 'running');
    expect(page.total).toBe(expected.length);
    expect(page.runs.every((r) => r.project === 'odd' && r.status === 'running')).toBe(true);
    // status counts: project=odd only; project counts: status=running only
    for (const status of STATUSES) {
      expect(page.counts.status[status]).toBe(
        RUNS.filter((r) => r.project === 'odd' && r.status === status).length,
      );
    }
    expect(page.counts.projects).toEqual(
      [
        {
          name: 'even',
          runs: RUNS.filter((r) => r.status === 'running' && r.project === 'even').length,
        },
        { name: 'odd', runs: expected.length },
      ].sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name)),
    );
    const groupTotal = page.counts.groups.reduce((a, g) => a + g.runs, 0) + page.counts.ungrouped;
    expect(groupTotal).toBe(expected.length);
  });

  it('searches name and key case-insensitively', () => {
    expect(pageRuns({ runs: RUNS, filters: { search: 'RUN-04' }, limit: 50 }).total).toBe(10);
    expect(pageRuns({ runs: RUNS, filters: { search: 'key-95' }, limit: 50 }).runs[0]?.id).toBe(95);
  });

  it('refuses a cursor of another sort or an edited one', () => {
    const first = pageRuns({ runs: RUNS, sort: 'name', limit: 10 });
    expect(() =>
      pageRuns({ runs: RUNS, sort: 'created', limit: 10, cursor: first.nextCursor }),
    ).toThrow(/cursor/);
    expect(() => pageRuns({ runs: RUNS, limit: 10, cursor: 'not-a-cursor' })).toThrow(/cursor/);
  });

  it('a run added before the cursor shifts nothing after it', () => {
    const first = pageRuns({ runs: RUNS, sort: 'name', limit: 10 });
    const more = [...RUNS, { ...run(500), name: 'aaa' }];
    const next = pageRuns({ runs: more, sort: 'name', limit: 10, cursor: first.nextCursor });
    expect(next.runs[0]?.name).toBe('run-011');
  });
});
