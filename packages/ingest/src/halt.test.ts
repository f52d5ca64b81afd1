import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/** A tiny real plugin: "step value" lines; a line "CORRUPT" makes it halt (like a CRC mismatch). */
const haltingPlugin = definePlugin<{ line: number }>({
  meta: { name: 'halting', version: '0', description: 'test format', mode: 'append' },
  detect: (path) => (path.endsWith('.hlt') ? 1 : 0),
  initialState: () => ({ line: 0 }),
  parse(chunk, state, ctx) {
    const text = new TextDecoder().decode(chunk);
    const end = text.lastIndexOf('\n') + 1;
    const rows = [];
    let line = state.line;
    let consumed = 0;
    for (const l of text.slice(0, end).split('\n').slice(0, -1)) {
      line++;
      if (l === 'CORRUPT') {
        return {
          rows,
          consumed,
          state: { line: line - 1 },
          issues: [
            { level: 'error' as const, offset: ctx.offset + consumed, message: 'corrupt record' },
          ],
          halt: true,
        };
      }
      const [step, value] = l.split(' ').map(Number);
      rows.push({ step: step!, metrics: { loss: value! } });
      consumed += Buffer.byteLength(l) + 1;
    }
    return { rows, consumed, state: { line }, issues: [] };
  },
});

describe('a plugin that halts', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-halt-'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the rows before the bad record, then skips the file until it is rewritten', async () => {
    const path = join(dir, 'x.hlt');
    writeFileSync(path, '1 3\n2 2.5\nCORRUPT\n3 2\n');
    const first = await ingestPaths({ db, plugins: [haltingPlugin], paths: [path] });
    expect(first.files[0]).toMatchObject({ status: 'partial', points: 2 });
    // Exactly one report: the loop stops at the halt (no re-read of the rest, no final tail).
    expect(first.files[0]!.errors).toEqual([
      { level: 'error', offset: 10, message: 'corrupt record' },
    ]);
    expect(await db.ingest.getOffset({ path })).toMatchObject({ offset: 10, halted: true });
    appendFileSync(path, '4 1.5\n');
    const second = await ingestPaths({ db, plugins: [haltingPlugin], paths: [path] });
    expect(second.files[0]).toMatchObject({ status: 'unchanged', points: 0 });
    expect(second.files[0]!.errors).toEqual([
      {
        level: 'warning',
        offset: 10,
        message:
          'reading stopped at byte 10 on an earlier pass; waiting for the file to be rewritten',
      },
    ]);
    writeFileSync(path, '5 1\n6 0.5\n');
    const third = await ingestPaths({ db, plugins: [haltingPlugin], paths: [path] });
    expect(third.files[0]).toMatchObject({ status: 'completed', points: 2 });
    expect((await db.ingest.getOffset({ path }))!.halted).toBe(false);
  });
});

describe('a plugin that throws', () => {
  it('reports the failure for that file, keeps earlier chunks and goes on with other files', async () => {
    const db = createTestStore();
    const dir = mkdtempSync(join(tmpdir(), 'runcast-throw-'));
    try {
      const throwing = definePlugin<null>({
        meta: { name: 'throwing', version: '0', description: 'test format', mode: 'append' },
        detect: (path) => (path.endsWith('.thr') ? 1 : 0),
        initialState: () => null,
        parse(_chunk, state, ctx) {
          if (ctx.offset > 0) throw new Error('boom');
          return { rows: [{ step: 0, metrics: { loss: 1 } }], consumed: 8, state, issues: [] };
        },
      });
      const bad = join(dir, 'a.thr');
      writeFileSync(bad, 'x'.repeat(64));
      const good = join(dir, 'b.hlt');
      writeFileSync(good, '1 2\n');
      const summary = await ingestPaths({
        db,
        plugins: [throwing, haltingPlugin],
        paths: [bad, good],
        chunkSize: 8,
      });
      expect(summary.status).toBe('partial');
      expect(summary.files[0]).toMatchObject({ status: 'partial', points: 1 });
      expect(summary.files[0]!.errors[0]!.message).toMatch(
        /plugin throwing failed .* byte 8: boom/,
      );
      expect(summary.files[1]).toMatchObject({ status: 'completed', points: 1 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
