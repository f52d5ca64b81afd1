import { type FileReplacement, parseContributions, planFileReplacement } from './contributions';
import { recordEvent } from './events';
import { getOffset } from './offsets';
import type { DbHandle } from './open-db';
import { getRun } from './runs';
import { getSeries, listSeries } from './series';
import { prepareCached } from './statements';

/** A series' cached stats from its remaining points. */
const RECOMPUTE_STATS = `UPDATE series SET
    points = (SELECT COUNT(*) FROM points WHERE series_id = @id),
    first_step = (SELECT MIN(step) FROM points WHERE series_id = @id),
    last_step = (SELECT MAX(step) FROM points WHERE series_id = @id),
    last_value = (SELECT value FROM points WHERE series_id = @id ORDER BY step DESC LIMIT 1),
    updated_at = @now
  WHERE id = @id`;

/**
 * SQLite: removes the points a replaced file contributed (contributions.ts planFileReplacement)
 * and recomputes the stats of the series they belonged to; one `points` event per series
 * touched, so caches of its columns reload. Call inside the chunk's transaction.
 */
export function removeFilePoints(db: DbHandle, options: { path: string }): FileReplacement {
  const out: FileReplacement = { points: 0, series: [], kept: [] };
  const file = getOffset(db, options);
  if (!file) return out;
  const others = (
    prepareCached(
      db.sqlite,
      'SELECT path, run_keys, contributed FROM ingest_offsets WHERE path <> ?',
    ).all(options.path) as { path: string; run_keys: string; contributed: string }[]
  ).map((r) => ({
    path: r.path,
    runKeys: JSON.parse(r.run_keys) as string[],
    contributed: parseContributions(r.contributed),
  }));
  const plan = planFileReplacement({ file, others });
  out.kept = plan.kept;
  const deleteRange = prepareCached(
    db.sqlite,
    'DELETE FROM points WHERE series_id = ? AND step BETWEEN ? AND ? RETURNING step',
  );
  for (const removal of plan.removals) {
    const run = getRun(db, removal.runKey);
    if (!run) continue;
    const targets =
      removal.seriesKey === null
        ? listSeries(db, { runId: run.id })
        : [getSeries(db, { runId: run.id, key: removal.seriesKey })].filter((s) => s !== undefined);
    for (const series of targets) {
      let removed = 0;
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const [lo, hi] of removal.ranges ?? [[0, Number.MAX_SAFE_INTEGER]]) {
        for (const { step } of deleteRange.all(series.id, lo, hi) as { step: number }[]) {
          removed++;
          if (step < from) from = step;
          if (step > to) to = step;
        }
      }
      if (removed === 0) continue;
      prepareCached(db.sqlite, RECOMPUTE_STATS).run({ id: series.id, now: Date.now() });
      recordEvent(db, {
        kind: 'points',
        runId: run.id,
        seriesKey: series.key,
        fromStep: from,
        toStep: to,
      });
      out.points += removed;
      out.series.push(`${removal.runKey}: ${series.key}`);
    }
  }
  return out;
}
