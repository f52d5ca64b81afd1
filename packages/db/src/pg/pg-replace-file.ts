import { type FileReplacement, parseContributions, planFileReplacement } from '../contributions';
import { getOffset } from './pg-cache-offsets';
import type { Query } from './pg-client';
import { recordEvent } from './pg-events';
import { getRun } from './pg-runs';
import { getSeries, listSeries } from './pg-series';

/** A series' cached stats from its remaining points. */
const RECOMPUTE_STATS = `UPDATE series SET
    points = (SELECT COUNT(*) FROM points WHERE series_id = $1),
    first_step = (SELECT MIN(step) FROM points WHERE series_id = $1),
    last_step = (SELECT MAX(step) FROM points WHERE series_id = $1),
    last_value = (SELECT value FROM points WHERE series_id = $1 ORDER BY step DESC LIMIT 1),
    updated_at = $2
  WHERE id = $1`;

/**
 * PostgreSQL: removes the points a replaced file contributed (contributions.ts
 * planFileReplacement) and recomputes the stats of the series they belonged to, inside the
 * caller's transaction (the SQLite engine's replace-file.ts, same rules).
 */
export async function removeFilePoints(
  q: Query,
  options: { path: string },
): Promise<FileReplacement> {
  const out: FileReplacement = { points: 0, series: [], kept: [] };
  const file = await getOffset(q, options.path);
  if (!file) return out;
  const others = (
    await q<{ path: string; run_keys: string; contributed: string }>(
      'SELECT path, run_keys, contributed FROM ingest_offsets WHERE path <> $1',
      [options.path],
    )
  ).map((r) => ({
    path: r.path,
    runKeys: JSON.parse(r.run_keys) as string[],
    contributed: parseContributions(r.contributed),
  }));
  const plan = planFileReplacement({ file, others });
  out.kept = plan.kept;
  for (const removal of plan.removals) {
    const run = await getRun(q, removal.runKey);
    if (!run) continue;
    const targets =
      removal.seriesKey === null
        ? await listSeries(q, { runId: run.id })
        : [await getSeries(q, { runId: run.id, key: removal.seriesKey })].filter(
            (s) => s !== undefined,
          );
    // One lock order for every writer (by series id), as appends take them.
    targets.sort((a, b) => a.id - b.id);
    for (const series of targets) {
      const ranges = removal.ranges ?? [[0, Number.MAX_SAFE_INTEGER]];
      const [gone] = await q<{ n: number; lo: number | null; hi: number | null }>(
        `WITH d AS (
           DELETE FROM points p USING unnest($2::bigint[], $3::bigint[]) AS r(lo, hi)
           WHERE p.series_id = $1 AND p.step BETWEEN r.lo AND r.hi
           RETURNING p.step)
         SELECT COUNT(*)::int AS n, MIN(step) AS lo, MAX(step) AS hi FROM d`,
        [series.id, ranges.map((r) => r[0]), ranges.map((r) => r[1])],
      );
      if (!gone || gone.n === 0) continue;
      await q(RECOMPUTE_STATS, [series.id, Date.now()]);
      await recordEvent(q, {
        kind: 'points',
        runId: run.id,
        seriesKey: series.key,
        fromStep: gone.lo,
        toStep: gone.hi,
      });
      out.points += gone.n;
      out.series.push(`${removal.runKey}: ${series.key}`);
    }
  }
  return out;
}
