/**
 * `pnpm bench [area...]`: runs every bench area, or only the named ones. Each area is a module
 * bench/<name>.ts that runs when imported, prints its figures and may write bench/out/<name>.json.
 */
const AREAS = [
  'shaping',
  'scaling',
  'fit-accuracy',
  'fit-speed',
  'early-stopping',
  'plugins',
  'ingest',
  'text-formats',
  'api',
  'group-from-logs',
  'dashboard',
  'what-if',
  'client',
  'real-logs',
] as const;

// `--db URL` (e.g. `pnpm bench ingest --db postgres://...`) is an option of the areas, not an area.
const args = process.argv.slice(2);
const requested = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '--db');
const unknown = requested.filter((a) => !(AREAS as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`unknown bench area(s): ${unknown.join(', ')}; known: ${AREAS.join(', ')}`);
  process.exit(2);
}
for (const area of requested.length > 0 ? requested : AREAS) {
  console.log(`\n=== bench: ${area}`);
  await import(`./${area}.ts`);
}

export {};
