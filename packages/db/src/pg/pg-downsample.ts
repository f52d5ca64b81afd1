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
 * the range holds NaN, whose first per bucket is kept too), a point's bucket being
 * min(buckets - 1, floor((step - x0) * (buckets / (x1 - x0)))) with the scale computed here in
 * double precision and applied by PostgreSQL in float8 (the same IEEE operations, so the same
 * edges); each bucket keeps its first, min, max and last non-NaN points (ties: the earliest step,
 * via min(ARRAY[value, step]) and max(ARRAY[value, -step])). NULL values count as NaN. Both
 * bucket counts are aggregated in one scan (GROUPING SETS), since whether the range holds NaN
 * is only known after it. A range of at most `budget` points comes back whole.
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
  const b4 = Math.floor(budget / 4);
  const b5 = Math.floor(budget / 5);
  const scale = (buckets: number) => (span > 0 ? buckets / span : 0);
  // One row per bucket of each grouping: [which, count, hasNaN, first, last, min, max, firstNaN].
  const rows = (await qa(
    `SELECT GROUPING(b5) AS which, COUNT(*)::bigint AS n, bool_or(NOT ok) AS nan,
       MIN(step) FILTER (WHERE ok) AS first, MAX(step) FILTER (WHERE ok) AS last,
       (MIN(ARRAY[value, step::float8]) FILTER (WHERE ok))[2] AS lo,
       -((MAX(ARRAY[value, -step::float8]) FILTER (WHERE ok))[2]) AS hi,
       MIN(step) FILTER (WHERE NOT ok) AS first_nan
     FROM (
       SELECT step, value, (value IS NOT NULL AND value <> 'NaN'::float8) AS ok,
         LEAST($4::int - 1, floor((step - $6::bigint)::float8 * $5::float8))::int AS b4,
         LEAST($7::int - 1, floor((step - $6::bigint)::float8 * $8::float8))::int AS b5
       FROM points WHERE ${RANGE}
     ) p
     GROUP BY GROUPING SETS ((b4), (b5))`,
    [...args, b4, scale(b4), x0, Math.max(1, b5), scale(b5)],
  )) as [
    number,
    number,
    boolean,
    number | null,
    number | null,
    number | null,
    number | null,
    number | null,
  ][];
  const by4 = rows.filter((r) => r[0] === 1);
  const by5 = rows.filter((r) => r[0] === 0);
  const total = by4.reduce((n, r) => n + r[1], 0);
  const hasNaN = by4.some((r) => r[2]);
  if (total <= budget) {
    const all = (await qa(
      `SELECT step, value, wall_time FROM points WHERE ${RANGE} ORDER BY step`,
      args,
    )) as [number, number | null, number | null][];
    return { total, downsampled: false, ...toArrays(all) };
  }
  const keepNaN = hasNaN && budget >= 5;
  const steps = new Set<number>();
  for (const [, , , first, last, lo, hi, firstNaN] of keepNaN ? by5 : by4) {
    for (const s of [first, lo, hi, last, keepNaN ? firstNaN : null]) if (s !== null) steps.add(s);
  }
  const kept = (await qa(
    'SELECT step, value, wall_time FROM points WHERE series_id = $1 AND step = ANY($2::bigint[]) ORDER BY step',
    [options.seriesId, [...steps]],
  )) as [number, number | null, number | null][];
  return { total, downsampled: true, ...toArrays(kept) };
}
