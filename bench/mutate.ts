/**
 * `pnpm mutate [area...] [--minutes N] [--concurrency N] [--summary] [--force]`: mutation testing (StrykerJS
 * with the vitest runner) over the modules that carry the README's promises. Each area mutates its
 * source files in place, runs the tests that cover each mutant (per-test coverage, incremental:
 * only changed code and tests are re-run on the next call), restores the files and writes its
 * report to bench/out/mutation/<area>.{html,json}. Prints the mutation score per area and every
 * survivor not listed as equivalent in bench/mutation-equivalents.md (`--summary`: print that
 * from the last reports without running Stryker; `--force`: test every mutant again instead of
 * reusing the incremental results, e.g. for a score to report: static mutants have no covering
 * tests to diff, so a reused result of theirs can be older than the tests).
 * Defaults: 20 min per area, 2 test processes.
 *
 * In place, not in a sandbox copy: the tests read ../shared beside the project root and every
 * workspace package has its own node_modules links, neither of which a sandbox copy keeps. The
 * files are restored from a copy taken before the run, also when the time box ends the run.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench/out/mutation');

/** Areas: the promise-carrying modules and the test files that guard them. */
const AREAS: Record<string, { mutate: string[]; tests: string[]; ignoreStatic?: boolean }> = {
  decisions: {
    mutate: ['packages/fit/src/decisions/*.ts', '!packages/fit/src/decisions/*.test.ts'],
    tests: ['packages/fit/src/decisions'],
  },
  uncertainty: {
    mutate: ['packages/fit/src/uncertainty/*.ts', '!packages/fit/src/uncertainty/*.test.ts'],
    tests: ['packages/fit/src/uncertainty'],
  },
  'what-if': {
    mutate: ['packages/fit/src/forecast/what-if.ts', 'packages/fit/src/forecast/bands.ts'],
    tests: ['packages/fit/src/forecast'],
  },
  // Both engines: SQLite (tokens.ts, append-points.ts) and PostgreSQL (pg-tokens.ts, the upsert
  // of pg-series.ts); the PostgreSQL tests start a throw-away cluster (skipped without one).
  'db-tokens-points': {
    mutate: [
      'packages/db/src/tokens.ts',
      'packages/db/src/append-points.ts',
      'packages/db/src/pg/pg-tokens.ts',
      'packages/db/src/pg/pg-series.ts:70-208',
    ],
    tests: [
      'packages/db/src/store-edges-sqlite.test.ts',
      'packages/db/src/store-edges-pg.test.ts',
      'packages/db/src/store-sqlite.test.ts',
      'packages/db/src/store-pg.test.ts',
      'packages/db/src/tokens.test.ts',
      'packages/db/src/tokens-scopes.test.ts',
      'packages/db/src/append-points.test.ts',
      'packages/db/src/append-points-blocks.test.ts',
    ],
  },
  // The read loop and its offsets, and the one transaction (points + offset) of each engine.
  // The watch/poll tests (timers, tens of seconds) are left out: they re-run the same loop.
  'ingest-offsets': {
    mutate: [
      'packages/ingest/src/ingest-file.ts',
      'packages/db/src/commit-chunk.ts',
      'packages/db/src/pg/pg-commit.ts',
    ],
    tests: [
      'packages/ingest/src/crash-resume.test.ts',
      'packages/ingest/src/empty-read.test.ts',
      'packages/ingest/src/halt.test.ts',
      'packages/ingest/src/read-loop.test.ts',
      'packages/ingest/src/read-loop-edges.test.ts',
      'packages/ingest/src/fingerprint-race.test.ts',
      'packages/ingest/src/partial-line.test.ts',
      'packages/ingest/src/tail-invariance.test.ts',
      'packages/ingest/src/rewrite-mode.test.ts',
      'packages/ingest/src/ingest-paths.test.ts',
      'packages/ingest/src/run-metadata.test.ts',
      'packages/ingest/src/sub-runs.test.ts',
      'packages/db/src/store-sqlite.test.ts',
      'packages/db/src/store-pg.test.ts',
    ],
  },
  'api-auth-push': {
    mutate: ['packages/api/src/http/authenticate.ts', 'packages/api/src/services/push-input.ts'],
    // The push schema is built at module load: its mutants are static and run every test listed
    // here, so the list keeps to the fast files that assert authentication and push validation.
    tests: [
      'packages/api/test/authenticate.test.ts',
      'packages/api/test/push-input.test.ts',
      'packages/api/test/security.test.ts',
      'packages/api/test/push-limits.test.ts',
    ],
  },
  framing: {
    mutate: [
      'packages/core/src/lines.ts',
      'plugins/tensorboard/src/parse.ts',
      'plugins/tensorboard/src/crc32c.ts',
      'plugins/wandb/src/leveldb-log.ts',
      // Line framing of the text plugins: chunk -> whole lines, BOM, the unterminated last line.
      'plugins/jsonl/src/parse.ts:211-272',
      'plugins/csv/src/parse.ts:172-238',
    ],
    tests: [
      'packages/core/src',
      'plugins/tensorboard',
      'plugins/wandb',
      'plugins/jsonl',
      'plugins/csv',
    ],
    // Static mutants (module-level code: the CRC tables, the chunk-type seeds, constants) run the
    // whole area's suite each, 95 % of the time (264 of 649, about an hour on 2 busy cores);
    // a wrong table or constant breaks every record, so they are left out and counted as ignored.
    ignoreStatic: true,
  },
};

interface MutantResult {
  status: string;
  mutatorName: string;
  location: { start: { line: number; column: number } };
  replacement?: string;
}

interface Options {
  areas: string[];
  minutes: number;
  concurrency: number;
  force: boolean;
}

function parseArgs(argv: string[]): Options {
  const numberFlag = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!(Number.isInteger(value) && value > 0)) {
      console.error(`${flag} needs a positive whole number, got ${argv[at + 1] ?? 'nothing'}`);
      process.exit(2);
    }
    return value;
  };
  const minutes = numberFlag('--minutes', 20);
  const concurrency = numberFlag('--concurrency', 2);
  const names = argv.filter(
    (a, i) => !a.startsWith('--') && argv[i - 1] !== '--minutes' && argv[i - 1] !== '--concurrency',
  );
  const unknown = names.filter((n) => !(n in AREAS));
  if (unknown.length > 0) {
    console.error(
      `unknown area(s): ${unknown.join(', ')}; known: ${Object.keys(AREAS).join(', ')}`,
    );
    process.exit(2);
  }
  return {
    areas: names.length > 0 ? names : Object.keys(AREAS),
    minutes,
    concurrency,
    force: argv.includes('--force'),
  };
}

/** Files matching `dir/name` where name may hold `*` (no recursion: areas name their folders). */
function matchFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const name = pattern.slice(dir.length + 1);
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return readdirSync(join(ROOT, dir))
    .filter((f) => re.test(f))
    .map((f) => `${dir}/${f}`);
}

/**
 * Stryker's mutate entries: file patterns, `!pattern` to leave out, or `file:from-to` for a line
 * range of one file (the function that does the framing, not the whole parser).
 */
function filesOf(patterns: string[]): string[] {
  const ranged = patterns.filter((p) => /:\d+-\d+$/.test(p));
  const include = patterns.filter((p) => !p.startsWith('!') && !ranged.includes(p));
  const exclude = new Set(
    patterns.filter((p) => p.startsWith('!')).flatMap((p) => matchFiles(p.slice(1))),
  );
  const files = include
    .flatMap(matchFiles)
    .filter((f) => !f.endsWith('.test.ts') && !exclude.has(f));
  return [...files, ...ranged];
}

/** The file of a mutate entry (without its line range). */
const fileOf = (entry: string): string => entry.replace(/:\d+-\d+$/, '');

async function runArea(options: {
  area: string;
  minutes: number;
  concurrency: number;
  force: boolean;
}): Promise<void> {
  const { area, minutes, concurrency, force } = options;
  const spec = AREAS[area];
  if (!spec) return;
  const files = filesOf(spec.mutate);
  const backup = new Map(
    files.map(fileOf).map((f) => [f, readFileSync(join(ROOT, f), 'utf8')] as const),
  );
  mkdirSync(OUT, { recursive: true });
  const config = {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'vitest.mutate.config.ts', related: false },
    mutate: files,
    inPlace: true,
    // Type checks are left to tsc; Stryker would otherwise write @ts-nocheck into every file.
    disableTypeChecks: false,
    coverageAnalysis: 'perTest',
    ignoreStatic: spec.ignoreStatic ?? false,
    incremental: true,
    force,
    incrementalFile: `bench/out/mutation/${area}.incremental.json`,
    concurrency,
    timeoutMS: 15000,
    reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
    jsonReporter: { fileName: `bench/out/mutation/${area}.json` },
    htmlReporter: { fileName: `bench/out/mutation/${area}.html` },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
    tempDirName: `bench/out/mutation/.stryker-tmp-${area}`,
    cleanTempDir: true,
  };
  const configFile = join(OUT, `${area}.stryker.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  console.log(`\n=== mutate: ${area} (${files.length} files, time box ${minutes} min)`);
  // Its own process group, so the time box stops Stryker and every test worker it started.
  const child = spawn(join(ROOT, 'node_modules/.bin/stryker'), ['run', configFile], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, RUNCAST_MUTATE_TESTS: spec.tests.join(',') },
  });
  const timer = setTimeout(() => {
    console.error(`mutate ${area}: time box of ${minutes} min reached, stopping`);
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
  }, minutes * 60_000);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  clearTimeout(timer);
  for (const [file, text] of backup) {
    if (readFileSync(join(ROOT, file), 'utf8') !== text) writeFileSync(join(ROOT, file), text);
  }
  summarise(area);
}

/** bench/mutation-equivalents.md: surviving mutants shown to be equivalent, one list item each. */
const EQUIVALENTS_FILE = join(ROOT, 'bench/mutation-equivalents.md');

/**
 * Items `- <file>:<line>:<column> <Mutator>[ -> <replacement>] — <why>`. Without a replacement
 * the item covers every mutant of that mutator at that place; with one, exactly one mutant.
 */
function readEquivalents(): Array<{ at: string; mutator: string; replacement?: string }> {
  if (!existsSync(EQUIVALENTS_FILE)) return [];
  const items: Array<{ at: string; mutator: string; replacement?: string }> = [];
  for (const line of readFileSync(EQUIVALENTS_FILE, 'utf8').split('\n')) {
    const m = /^- `?(\S+:\d+:\d+) (\w+)(?: -> (.*?))?`? — /.exec(line);
    if (m) {
      items.push({
        at: m[1]!,
        mutator: m[2]!,
        ...(m[3] === undefined ? {} : { replacement: m[3] }),
      });
    }
  }
  return items;
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

function summarise(area: string): void {
  const reportFile = join(OUT, `${area}.json`);
  if (!existsSync(reportFile)) {
    console.log(`${area}: no report (the run did not finish)`);
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    files: Record<string, { mutants: MutantResult[] }>;
  };
  const equivalents = readEquivalents();
  const used = new Set<number>();
  const count: Record<string, number> = {};
  const unexplained: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      count[m.status] = (count[m.status] ?? 0) + 1;
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const at = `${file}:${m.location.start.line}:${m.location.start.column}`;
      const replacement = collapse(m.replacement ?? '');
      // An item with a replacement explains one mutant (two identical ones need two items).
      const match = equivalents.findIndex(
        (e, i) =>
          e.at === at &&
          e.mutator === m.mutatorName &&
          (e.replacement === undefined ||
            (collapse(e.replacement) === replacement && !used.has(i))),
      );
      if (match >= 0) used.add(match);
      else unexplained.push(`  ${m.status.padEnd(10)} ${at} ${m.mutatorName} -> ${replacement}`);
    }
  }
  const killed = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const survived = count.Survived ?? 0;
  const noCoverage = count.NoCoverage ?? 0;
  const counted = killed + survived + noCoverage;
  const score = counted > 0 ? (100 * killed) / counted : Number.NaN;
  const explained = survived + noCoverage - unexplained.length;
  console.log(
    `${area}: mutation score ${score.toFixed(1)} % (${killed} killed of ${counted}: ` +
      `${count.Killed ?? 0} killed, ${count.Timeout ?? 0} timeouts, ${survived} survived, ` +
      `${noCoverage} no coverage, ${count.Ignored ?? 0} ignored); ${explained} survivors listed as equivalent in ` +
      `bench/mutation-equivalents.md, ${unexplained.length} unexplained`,
  );
  for (const line of unexplained) console.log(line.slice(0, 200));
  const files = new Set(Object.keys(report.files));
  const stale = equivalents.filter(
    (e, i) => !used.has(i) && files.has(e.at.slice(0, e.at.indexOf(':'))),
  );
  for (const e of stale) {
    console.log(`  stale equivalent (no such survivor): ${e.at} ${e.mutator}`);
  }
}

const { areas, minutes, concurrency, force } = parseArgs(process.argv.slice(2));
if (process.argv.includes('--summary')) {
  // Only print the last reports' scores and unexplained survivors, without running Stryker.
  for (const area of areas) summarise(area);
} else {
  for (const area of areas) await runArea({ area, minutes, concurrency, force });
}
