import type { DownsampledSeries, DownsampleOptions } from '../store';
import type { Query } from './pg-client';
import { toArrays } from './pg-series';

type ArrayQuery = (text: string, values: unknown[]) => Promise<unknown[][]>;

const RANGE = 'series_id = $1 AND step >= $2 AND step <= $3';

/** Step ranges with no bound given: every step. */
const bounds = (o: DownsampleOptions): [number, number] => [
  o.from ?? Number.MIN_SAFE_INTEGER,
  o.to === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(o.to),
];

/**
 * Min/max-per-bucket downsampling of a series' step range in one aggregate query, with the same
 * output as @runcast/fit downsampleMinMax over the same points (the JS path reads every point
 * first): the range [x0, x1] is cut into floor(budget / 4) equal-width buckets (budget / 5 when
 * the range holds NaN, whose first per bucket is kept too: a second scan, only then), a point's
 * bucket being min(buckets - 1, floor((step - x0) * (buckets / (x1 - x0)))) with the scale
 * computed here in double precision and applied by PostgreSQL in float8 (the same IEEE
 * operations, so the same edges); each bucket keeps its first, min, max and last non-NaN points
 * (ties: the earliest step, via min(ARRAY[value, step]) and max(ARRAY[value, -step])). NULL
 * values count as NaN. A range of at most `budget` points comes back whole. Its cost is a scan
 * of the range's rows inside PostgreSQL instead of moving them all out (bench ingest --db).
 */
export async function downsampleSeries(
  qa: ArrayQuery,
  q: Query,
  options: DownsampleOptions,
): Promise<DownsampledSeries> {
  const budget = Math.max(4, Math.floor(options.budget));
  const [from, to] = bounds(options);
  const args = [options.seriesId, from, to];
  const [ends] = await q<{ x0: number | null; x1: number | null }>(
    `SELECT (SELECT step FROM points WHERE ${RANGE} ORDER BY step LIMIT 1) AS x0,
       (SELECT step FROM points WHERE ${RANGE} ORDER BY step DESC LIMIT 1) AS x1`,
    args,
  );
  const x0 = ends?.x0 ?? null;
  const x1 = ends?.x1 ?? null;
  if (x0 === null || x1 === null) return { total: 0, downsampled: false, ...toArrays([]) };
  const span = x1 - x0;
  // One row per bucket: [count, first, last, min, max, first NaN] (steps).
  const bucketRows = async (buckets: number) =>
    (await qa(
      `SELECT COUNT(*)::bigint AS n,
         MIN(step) FILTER (WHERE ok) AS first, MAX(step) FILTER (WHERE ok) AS last,
         (MIN(ARRAY[value, step::float8]) FILTER (WHERE ok))[2] AS lo,
         -((MAX(ARRAY[value, -step::float8]) FILTER (WHERE ok))[2]) AS hi,
         MIN(step) FILTER (WHERE NOT ok) AS first_nan
       FROM (
         SELECT step, value, (value IS NOT NULL AND value <> 'NaN'::float8) AS ok,
           LEAST($4::int - 1, floor((step - $5::bigint)::float8 * $6::float8))::int AS b
         FROM points WHERE ${RANGE}
       ) p
       GROUP BY b`,
      [...args, buckets, x0, span > 0 ? buckets / span : 0],
    )) as [number, number | null, number | null, number | null, number | null, number | null][];
  // Buckets of 4 slots; a range with NaN (seen by this same scan) again with 5 (its first NaN).
  let rows = await bucketRows(Math.floor(budget / 4));
  const keepNaN = budget >= 5 && rows.some((r) => r[5] !== null);
  if (keepNaN) rows = await bucketRows(Math.floor(budget / 5));
  const total = rows.reduce((n, r) => n + r[0], 0);
  if (total <= budget) {
    const all = (await qa(
      `SELECT step, value, wall_time FROM points WHERE ${RANGE} ORDER BY step`,
      args,
    )) as [number, number | null, number | null][];
    return { total, downsampled: false, ...toArrays(all) };
  }
  const steps = new Set<number>();
  for (const [, first, last, lo, hi, firstNaN] of rows) {
    for (const s of [first, lo, hi, last, keepNaN ? firstNaN : null]) if (s !== null) steps.add(s);
  }
  const kept = (await qa(
    'SELECT step, value, wall_time FROM points WHERE series_id = $1 AND step = ANY($2::bigint[]) ORDER BY step',
    [options.seriesId, [...steps]],
  )) as [number, number | null, number | null][];
  return { total, downsampled: true, ...toArrays(kept) };
}
