import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** better-sqlite3 (a dependency of the CLI, whose types it does not carry), to plant old data. */
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
) => { prepare(sql: string): { run(...args: unknown[]): unknown }; close(): void };

const ATTACK = 'esc\u001b[2J\u001b]0;T\u0007';
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach the terminal
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-safe-'));
  file = join(dir, 'train.jsonl');
  writeFileSync(file, '{"step":1,"loss":3}\n{"step":2,"loss":2.5}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('names at the CLI', () => {
  it('refuses a control character or an over-long name in --run/--project/--group (exit 2, naming the flag)', () => {
    const db = join(dir, 'refuse.db');
    for (const [flag, value, says] of [
      ['--run', ATTACK, 'U+001B'],
      ['--project', 'p\u202Eq', 'U+202E'],
      ['--group', 'g\tx', 'U+0009'],
      ['--run', 'x'.repeat(100_000), '500'],
      ['--project', 'x'.repeat(201), '200'],
    ] as const) {
      const out = runCli(['ingest', file, flag, value], { db });
      expect([flag, out.code]).toEqual([flag, 2]);
      expect(out.stderr).toContain(flag);
      expect(out.stderr).toContain(says);
      expect(out.stderr).not.toMatch(RAW_CONTROL);
      expect(out.stderr.length).toBeLessThan(2_000);
    }
    expect(JSON.parse(runCli(['runs', '--json'], { db }).stdout)).toEqual([]);
    const ok = runCli(['ingest', file, '--run', 'x'.repeat(500), '--json'], { db });
    expect(ok.code).toBe(0);
  });

  it('prints a stored name full of terminal escapes harmlessly (tables, show, errors, JSON)', () => {
    const db = join(dir, 'escape.db');
    expect(runCli(['ingest', file], { db }).code).toBe(0);
    // Names written before the checks existed, or by another tool: the output must still be safe.
    const sqlite = new Database(db);
    sqlite.prepare('UPDATE runs SET name = ?').run(ATTACK);
    sqlite.prepare("UPDATE series SET key = ? WHERE key = 'loss'").run(`loss${ATTACK}\u202E`);
    sqlite.close();
    const runs = runCli(['runs'], { db });
    expect(runs.code).toBe(0);
    expect(runs.stderr).toContain('esc\\x1b[2J\\x1b]0;T\\x07');
    expect(runs.stderr).not.toMatch(RAW_CONTROL);
    const show = runCli(['show', '1'], { db });
    expect(show.stderr).toContain('esc\\x1b[2J');
    expect(show.stderr).not.toMatch(RAW_CONTROL);
    const missing = runCli(['show', `nope${ATTACK}`], { db });
    expect(missing.code).toBe(1);
    expect(missing.stderr).not.toMatch(RAW_CONTROL);
    const json = runCli(['runs', '--json'], { db });
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const listed = JSON.parse(json.stdout) as { name: string; series: { key: string }[] }[];
    expect(listed[0]!.name).toBe(ATTACK);
    expect(listed[0]!.series.map((s) => s.key)).toContain(`loss${ATTACK}\u202E`);
  });
});
