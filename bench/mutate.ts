/**
 * `pnpm mutate [area...] [--minutes N]`: mutation testing (StrykerJS with the vitest runner) over
 * the modules that carry the README's promises. Each area mutates its source files in place,
 * runs the tests that cover each mutant (per-test coverage, incremental: only changed code and
 * tests are re-run on the next call), restores the files and writes its report to
 * bench/out/mutation/<area>.{html,json}. Prints the mutation score per area and every survivor.
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
const AREAS: Record<string, { mutate: string[]; tests: string[] }> = {
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
  'db-tokens-points': {
    mutate: ['packages/db/src/tokens.ts', 'packages/db/src/append-points.ts'],
    tests: ['packages/db/src'],
  },
  'ingest-offsets': {
    mutate: ['packages/ingest/src/write-chunk.ts', 'packages/ingest/src/ingest-file.ts'],
    tests: ['packages/ingest/src'],
  },
  'api-auth-push': {
    mutate: ['packages/api/src/http/authenticate.ts', 'packages/api/src/services/push-input.ts'],
    tests: ['packages/api/test/server.test.ts', 'packages/api/test/push.test.ts'],
  },
  framing: {
    mutate: [
      'packages/core/src/lines.ts',
      'plugins/tensorboard/src/record*.ts',
      'plugins/wandb/src/leveldb-log.ts',
      'plugins/jsonl/src/parse.ts',
      'plugins/csv/src/parse.ts',
    ],
    tests: [
      'packages/core/src',
      'plugins/tensorboard',
      'plugins/wandb',
      'plugins/jsonl',
      'plugins/csv',
    ],
  },
};

interface MutantResult {
  status: string;
  mutatorName: string;
  location: { start: { line: number; column: number } };
  replacement?: string;
}

function parseArgs(argv: string[]): { areas: string[]; minutes: number } {
  const minutesAt = argv.indexOf('--minutes');
  const minutes = minutesAt >= 0 ? Number(argv[minutesAt + 1]) : 20;
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--minutes');
  const unknown = names.filter((n) => !(n in AREAS));
  if (unknown.length > 0) {
    console.error(
      `unknown area(s): ${unknown.join(', ')}; known: ${Object.keys(AREAS).join(', ')}`,
    );
    process.exit(2);
  }
  return { areas: names.length > 0 ? names : Object.keys(AREAS), minutes };
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

function filesOf(patterns: string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = new Set(
    patterns.filter((p) => p.startsWith('!')).flatMap((p) => matchFiles(p.slice(1))),
  );
  return include.flatMap(matchFiles).filter((f) => !f.endsWith('.test.ts') && !exclude.has(f));
}

async function runArea(area: string, minutes: number): Promise<void> {
  const spec = AREAS[area];
  if (!spec) return;
  const files = filesOf(spec.mutate);
  const backup = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
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
    incremental: true,
    incrementalFile: `bench/out/mutation/${area}.incremental.json`,
    concurrency: 2,
    timeoutMS: 15000,
    reporters: ['json', 'html', 'clear-text'],
    jsonReporter: { fileName: `bench/out/mutation/${area}.json` },
    htmlReporter: { fileName: `bench/out/mutation/${area}.html` },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
    tempDirName: 'bench/out/mutation/.stryker-tmp',
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

function summarise(area: string): void {
  const reportFile = join(OUT, `${area}.json`);
  if (!existsSync(reportFile)) {
    console.log(`${area}: no report (the run did not finish)`);
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    files: Record<string, { mutants: MutantResult[] }>;
  };
  let killed = 0;
  let counted = 0;
  const survivors: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') killed++;
      if (['Killed', 'Timeout', 'Survived', 'NoCoverage'].includes(m.status)) counted++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const at = `${file}:${m.location.start.line}:${m.location.start.column}`;
        survivors.push(`  ${m.status.padEnd(10)} ${at} ${m.mutatorName} -> ${m.replacement ?? ''}`);
      }
    }
  }
  const score = counted > 0 ? (100 * killed) / counted : Number.NaN;
  console.log(`${area}: mutation score ${score.toFixed(1)} % (${killed} killed of ${counted})`);
  for (const line of survivors) console.log(line.replace(/\s+/g, ' ').slice(0, 200));
}

const { areas, minutes } = parseArgs(process.argv.slice(2));
for (const area of areas) await runArea(area, minutes);
