import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-durability-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--durability', () => {
  it('full ingests like normal; an unknown mode is a usage error', () => {
    const file = join(dir, 'train.jsonl');
    writeFileSync(file, '{"step":1,"loss":3}\n{"step":2,"loss":2.5}\n');
    const db = join(dir, 'full.db');
    const full = runCli(['--durability', 'full', 'ingest', file, '--json'], { db });
    expect(full.code).toBe(0);
    expect(JSON.parse(full.stdout).files[0].points).toBe(2);
    const bad = runCli(['--durability', 'fast', 'runs'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('normal, full');
  });
});
