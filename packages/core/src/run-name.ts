/** File stems that say nothing about the run: such files are named after their folder. */
const GENERIC_STEMS = new Set([
  'metrics',
  'log',
  'logs',
  'train',
  'trainer_log',
  'results',
  'events',
  'progress',
  'history',
  'output',
  'stdout',
]);

/**
 * The name of the run a log file holds by default: its stem, or its folder's name when the stem
 * is generic (metrics, log, train, trainer_log, results...). Browser-safe: `/` and `\` paths.
 */
export function runNameFromPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '');
  const file = parts.at(-1) ?? '';
  const stem = file.replace(/(?<=.)\.[^.]*$/, '');
  const parent = parts.at(-2) ?? '';
  const name = GENERIC_STEMS.has(stem.toLowerCase()) && parent !== '' ? parent : stem;
  return name || path;
}
