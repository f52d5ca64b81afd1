import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type MetricRow, type ParseContext, type RunInfo } from '@runcast/core';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createTextPlugin } from '@runcast/plugin-text';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFile, MAX_RECORD_BYTES, openForIngest, planFile } from './ingest-file';
import { ingestPaths } from './ingest-paths';

// The read loop's counts, saved offsets and reports worked to the exact value, on real files and
// a real SQLite store. `scripted` is a test input (the plugin interface is public): one record
// per line, each kind of line a different outcome, so every count is known by construction.

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * `.scr` files, one record per line: "<step> <loss>" is a point (loss and acc = loss / 2 when
 * `twoSeries`), "#..." is skipped on purpose (`comment`), "!..." an `overlong-line`, "meta" run
 * config, "scope" a project scope for the folder, "boom" throws; anything else an
 * `unmatched-line`. A final pass reads the unterminated last line too.
 */
function scripted(options: { runKey?: string; twoSeries?: boolean } = {}) {
  return definePlugin<number>({
    meta: { name: 'scripted', version: '0', description: 'test plugin', mode: 'append' },
    detect: (path) => (path.endsWith('.scr') ? 1 : 0),
    ...(options.runKey ? { identify: () => ({ key: options.runKey!, name: 'shared' }) } : {}),
    initialState: () => 0,
    parse(chunk: Uint8Array, state: number, ctx: ParseContext) {
      const end = ctx.final ? chunk.length : chunk.lastIndexOf(0x0a) + 1;
      const lines = decode(chunk.subarray(0, end)).split('\n');
      if (!ctx.final || lines.at(-1) === '') lines.pop();
      const rows: MetricRow[] = [];
      const runs: RunInfo[] = [];
      const skipped: Record<string, number> = {};
      const skip = (reason: string) => {
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      };
      let scope = false;
      for (const line of lines) {
        if (line === 'boom') throw new Error('boom');
        const m = /^(\d+) ([\d.]+)$/.exec(line);
        if (m) {
          const loss = Number(m[2]);
          rows.push({
            step: Number(m[1]),
            metrics: options.twoSeries ? { loss, acc: loss / 2 } : { loss },
          });
        } else if (line.startsWith('#')) skip('comment');
        else if (line.startsWith('!')) skip('overlong-line');
        else if (line === 'meta') runs.push({ config: { seen: 'meta' } });
        else if (line === 'scope') scope = true;
        else if (line !== '') skip('unmatched-line');
      }
      const dir = ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1);
      return {
        rows,
        consumed: end,
        state: state + lines.length,
        issues: [],
        ...(runs.length > 0 ? { runs } : {}),
        ...(Object.keys(skipped).length > 0 ? { skipped } : {}),
        ...(scope ? { projectScopes: [{ keyPrefix: dir, project: 'scoped' }] } : {}),
      };
    },
  });
}

/**
 * `.len` files: one point per line, its value the line's length in bytes (counted without
 * decoding, so a 64 MiB line costs one scan). A final pass counts the unterminated end as a line.
 */
const lengths = definePlugin<number>({
  meta: { name: 'lengths', version: '0', description: 'test plugin', mode: 'append' },
  detect: (path) => (path.endsWith('.len') ? 1 : 0),
  initialState: () => 0,
  parse(chunk: Uint8Array, state: number, ctx: ParseContext) {
    const rows: MetricRow[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      rows.push({ step: state + rows.length, metrics: { bytes: nl - start } });
      start = nl + 1;
    }
    let consumed = start;
    if (ctx.final && start < chunk.length) {
      rows.push({ step: state + rows.length, metrics: { bytes: chunk.length - start } });
      consumed = chunk.length;
    }
    return { rows, consumed, state: state + rows.length, issues: [] };
  },
});

const jsonl = createJsonlPlugin();
const jsonLine = (step: number, loss: number) => `{"step": ${step}, "loss": ${loss}}\n`;
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('the read loop, counted exactly', () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-read-edges-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lossOf = async (key: string) => {
    const run = await db.runs.get(key);
    return run ? db.points.readTuples({ runId: run.id, key: 'loss' }) : [];
  };

  it('adds up the skip counts of every chunk, per reason', async () => {
    const path = join(dir, 'a.scr');
    const text = '1 2.5\n#a\nxx\n#b\n2 2.4\nyy\nzz\n';
    writeFileSync(path, text);
    const s = await ingestPaths({ db, plugins: [scripted()], paths: [path], chunkSize: 8 });
    expect(s.files[0]).toEqual({
      path,
      format: 'scripted',
      status: 'completed',
      points: 2,
      rows: 2,
      bytes: text.length,
      runs: [path],
      errors: [],
      skipped: { comment: 2, 'unmatched-line': 3 },
    });
    // What the file wrote, saved with its offset (a replacement of the file removes exactly it).
    expect(await db.ingest.getOffset({ path })).toMatchObject({
      offset: text.length,
      runKeys: [path],
      contributed: { [path]: { loss: [1, 2] } },
    });
  });

  it('counts the unterminated last line of a final pass in the rows and points, not the bytes', async () => {
    const path = join(dir, 'm.jsonl');
    const whole = jsonLine(1, 2.5) + jsonLine(2, 2.4);
    writeFileSync(path, `${whole}{"step": 3, "loss": 2.3}`);
    const s = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'completed', points: 3, rows: 3 });
    expect(s.files[0]!.bytes).toBe(whole.length);
    expect((await db.ingest.getOffset({ path }))!.offset).toBe(whole.length);
  });

  it('a file that is one unterminated line: completed with its point, though no byte is committed', async () => {
    const path = join(dir, 'one.jsonl');
    writeFileSync(path, '{"step": 1, "loss": 2}');
    const s = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'completed', points: 1, rows: 1, bytes: 0 });
    expect(await lossOf(path)).toEqual([[1, 2]]);
  });

  it('a file whose only record is an error reports that error, not also "nothing could be read"', async () => {
    const path = join(dir, 'neg.jsonl');
    writeFileSync(path, '{"step": -1, "loss": 2}');
    const s = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(s.files[0]!.status).toBe('failed');
    expect(s.files[0]!.errors).toEqual([
      {
        level: 'error',
        line: 1,
        field: 'step',
        message: 'invalid step -1 in "step" (a whole number >= 0 is needed)',
      },
    ]);
  });

  it('records read but skipped on purpose (non-numeric fields) are not a read failure', async () => {
    const path = join(dir, 'notes.jsonl');
    writeFileSync(path, '{"step": 1, "note": "x"}\n{"step": 2, "note": "y"}\n');
    const s = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(s.files[0]).toMatchObject({
      status: 'completed',
      points: 0,
      bytes: 50,
      skipped: { 'non-numeric field': 2 },
    });
    expect(s.files[0]!.errors.map((e) => e.level)).toEqual(['warning']);
  });

  it('lines read and none understood fail the file; blank lines or a skip on purpose do not', async () => {
    const plugins = [scripted()];
    const read = async (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return (await ingestPaths({ db, plugins, paths: [join(dir, name)] })).files[0]!;
    };
    const unread = await read('u.scr', 'xx\n!big\n');
    expect(unread).toMatchObject({
      status: 'failed',
      bytes: 8,
      skipped: { 'unmatched-line': 1, 'overlong-line': 1 },
    });
    expect(unread.errors).toEqual([
      {
        level: 'error',
        message:
          'nothing could be read from this file as scripted; its first lines did not parse: "xx", "!big"',
      },
    ]);
    const mixed = await read('m.scr', 'xx\n#c\n');
    expect(mixed).toMatchObject({ status: 'completed', bytes: 6, errors: [] });
    const blank = await read('b.scr', '\n\n');
    expect(blank).toMatchObject({ status: 'completed', bytes: 2, errors: [] });
  });

  it('a file that gives only a project scope or only run metadata is read, not failed', async () => {
    const plugins = [scripted()];
    writeFileSync(join(dir, 's.scr'), 'scope\nxx\n');
    const scoped = await ingestPaths({ db, plugins, paths: [join(dir, 's.scr')] });
    expect(scoped.files[0]).toMatchObject({ status: 'completed', errors: [], runs: [] });
    writeFileSync(join(dir, 'meta.scr'), 'meta\nxx\n');
    const meta = await ingestPaths({ db, plugins, paths: [join(dir, 'meta.scr')] });
    expect(meta.files[0]).toMatchObject({ status: 'completed', errors: [], points: 0 });
    expect((await db.runs.get(join(dir, 'meta.scr')))!.config).toEqual({ seen: 'meta' });
    // The scope's project went to the run created under it.
    expect((await db.runs.get(join(dir, 'meta.scr')))!.project).toBe('scoped');
  });

  it('run metadata in the unterminated last line of a final pass is stored', async () => {
    const path = join(dir, 't.scr');
    writeFileSync(path, '1 2.5\nmeta');
    const s = await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'completed', points: 1, bytes: 6 });
    expect((await db.runs.get(path))!.config).toEqual({ seen: 'meta' });
  });

  it('a later pass that fails is partial: the earlier passes stored points', async () => {
    const path = join(dir, 'p.scr');
    writeFileSync(path, '1 2.5\n');
    await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    appendFileSync(path, 'boom\n');
    const s = await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'partial', points: 0, rows: 0, bytes: 0 });
    expect(s.files[0]!.errors).toEqual([
      { level: 'error', offset: 6, message: 'plugin scripted failed on the chunk at byte 6: boom' },
    ]);
  });

  it('a replaced file the plugin then fails on: its old points are removed all the same', async () => {
    const path = join(dir, 'r.scr');
    writeFileSync(path, '1 2.5\n2 2.4\n');
    await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    writeFileSync(path, 'boom\n');
    const s = await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'failed', points: 0 });
    expect(s.files[0]!.errors).toEqual([
      {
        level: 'warning',
        message:
          'file was replaced by a shorter one (5 bytes, 12 read before); re-reading from the start',
      },
      { level: 'error', offset: 0, message: 'plugin scripted failed on the chunk at byte 0: boom' },
      {
        level: 'warning',
        message: `replaced, not mixed: 2 points of its earlier content removed (${path}: loss)`,
      },
    ]);
    expect(await lossOf(path)).toEqual([]);
    const saved = (await db.ingest.getOffset({ path }))!;
    expect(saved).toMatchObject({ offset: 0, size: 5, contributed: {} });
    expect(saved.fingerprint).toBe(`5:${sha1('boom\n')}`);
  });

  it('a replaced file that had stored no points says so', async () => {
    const path = join(dir, 'n.scr');
    writeFileSync(path, 'xxx\n');
    await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    // As long as the bytes read before: replaced, not "shorter".
    writeFileSync(path, '1 2\n');
    const s = await ingestPaths({ db, plugins: [scripted()], paths: [path] });
    expect(s.files[0]).toMatchObject({ status: 'completed', points: 1 });
    expect(s.files[0]!.errors).toEqual([
      {
        level: 'warning',
        message:
          'file was replaced (its bytes up to the saved offset changed); re-reading from the start',
      },
      {
        level: 'warning',
        message: 'replaced, not mixed: no points of its earlier content were stored',
      },
    ]);
  });

  it('a replaced file that shared a run with another: names each series and what was kept', async () => {
    const key = join(dir, 'shared-run');
    const plugins = [scripted({ runKey: key, twoSeries: true })];
    const a = join(dir, 'a.scr');
    const b = join(dir, 'b.scr');
    writeFileSync(a, '1 2\n2 3\n3 4\n');
    writeFileSync(b, '3 8\n4 9\n');
    await ingestPaths({ db, plugins, paths: [a] });
    await ingestPaths({ db, plugins, paths: [b] });
    writeFileSync(a, '1 5\n');
    const s = await ingestPaths({ db, plugins, paths: [a] });
    expect(s.files[0]!.errors).toEqual([
      {
        level: 'warning',
        message:
          'file was replaced by a shorter one (4 bytes, 12 read before); re-reading from the start',
      },
      {
        level: 'warning',
        message:
          `replaced, not mixed: 4 points of its earlier content removed (${key}: loss, ${key}: acc); ` +
          'kept, as other files wrote them too: loss steps also written by another file; acc steps also written by another file',
      },
    ]);
    expect(await lossOf(key)).toEqual([
      [1, 5],
      [3, 8],
      [4, 9],
    ]);
  });

  it('saves the fingerprint of the 4 KiB before the offset, so a rewrite behind a small append is noticed', async () => {
    const path = join(dir, 'fp.jsonl');
    let first = '';
    for (let step = 1; first.length < 5000; step++) first += jsonLine(step, 1.5);
    const steps = first.split('\n').length - 1;
    const appended = jsonLine(steps + 1, 1.5);
    writeFileSync(path, first);
    await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    appendFileSync(path, appended);
    const grown = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(grown.files[0]).toMatchObject({ points: 1, bytes: appended.length });
    const end = first.length + appended.length;
    const whole = first + appended;
    expect((await db.ingest.getOffset({ path }))!.fingerprint).toBe(
      `4096:${sha1(whole.slice(0, 4096))}|${end - 4096}:4096:${sha1(whole.slice(end - 4096))}`,
    );
    // The last line of the first pass rewritten in place (past the head, before the append).
    const last = jsonLine(steps, 1.5);
    const rewritten = `${first.slice(0, -last.length)}${jsonLine(steps, 2.5)}${appended}`;
    expect(rewritten.length).toBe(end);
    writeFileSync(path, `${rewritten}${jsonLine(steps + 2, 1.5)}`);
    const third = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(third.files[0]!.errors[0]!.message).toBe(
      'file was replaced (its bytes up to the saved offset changed); re-reading from the start',
    );
    expect((await lossOf(path)).find(([s]) => s === steps)).toEqual([steps, 2.5]);
  });

  it('an offset saved with the head fingerprint alone still notices a file cut below it', async () => {
    const path = join(dir, 'cut.jsonl');
    let text = '';
    for (let step = 1; text.length < 6000; step++) text += jsonLine(step, 1.5);
    writeFileSync(path, text);
    await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    const { updatedAt: _, ...saved } = (await db.ingest.getOffset({ path }))!;
    await db.ingest.commitChunk({
      offset: { ...saved, fingerprint: saved.fingerprint.split('|')[0]! },
    });
    const cut = text.slice(0, text.lastIndexOf('\n', 5000) + 1);
    writeFileSync(path, cut);
    const s = await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    expect(s.files[0]!.errors[0]!.message).toBe(
      `file was replaced by a shorter one (${cut.length} bytes, ${text.length} read before); re-reading from the start`,
    );
    expect((await lossOf(path)).length).toBe(cut.split('\n').length - 1);
  });

  it('bytes appended after the pass planned its read wait for the next pass', async () => {
    const path = join(dir, 'g.jsonl');
    writeFileSync(path, jsonLine(1, 2.5));
    await ingestPaths({ db, plugins: [jsonl], paths: [path] });
    appendFileSync(path, jsonLine(2, 2.4));
    const fd = await openForIngest(path);
    try {
      const plan = await planFile({ db, path, plugin: jsonl, fd });
      appendFileSync(path, jsonLine(3, 2.3));
      const { summary } = await ingestFile({ db, plan, fd, final: false });
      expect(summary).toMatchObject({ status: 'completed', points: 1, bytes: 25 });
    } finally {
      await fd.close();
    }
    expect(await lossOf(path)).toEqual([
      [1, 2.5],
      [2, 2.4],
    ]);
    expect((await db.ingest.getOffset({ path }))!.offset).toBe(50);
  });

  it('a file cut while it is read: what is left is read, and the offset stops there', async () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, [1, 2, 3, 4].map((s) => jsonLine(s, 2)).join(''));
    const left = 2 * jsonLine(1, 2).length;
    const fd = await openForIngest(path);
    try {
      const plan = await planFile({ db, path, plugin: jsonl, fd });
      truncateSync(path, left);
      const { summary } = await ingestFile({ db, plan, fd, final: true, chunkSize: plan.size });
      expect(summary).toMatchObject({ status: 'completed', points: 2, rows: 2, bytes: left });
      expect(summary.errors).toEqual([]);
    } finally {
      await fd.close();
    }
    expect((await db.ingest.getOffset({ path }))!.offset).toBe(left);
    expect(await lossOf(path)).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('an empty file handed to the read loop is unchanged, not a read failure', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    const fd = await openForIngest(path);
    try {
      const plan = await planFile({ db, path, plugin: jsonl, fd });
      const { summary } = await ingestFile({ db, plan, fd, final: true });
      expect(summary).toMatchObject({ status: 'unchanged', points: 0, bytes: 0, errors: [] });
    } finally {
      await fd.close();
    }
  });

  it('quotes a first line of exactly 100 characters whole; a file of blank lines quotes none', async () => {
    const text = createTextPlugin();
    const hundred = join(dir, 'h.log');
    writeFileSync(hundred, `${'y'.repeat(100)}\n`);
    const h = await ingestPaths({ db, plugins: [text], paths: [hundred], format: 'text' });
    expect(h.files[0]!.errors.at(-1)!.message).toBe(
      `nothing could be read from this file as text; its first lines did not parse: "${'y'.repeat(100)}"`,
    );
    const blank = join(dir, 'blank.log');
    writeFileSync(blank, '\n  \n\n');
    const b = await ingestPaths({ db, plugins: [text], paths: [blank], format: 'text' });
    expect(b.files[0]!.errors).toEqual([
      { level: 'error', message: 'nothing could be read from this file as text' },
    ]);
  });
});

describe(`records at the ${MAX_RECORD_BYTES}-byte limit`, () => {
  let db: ReturnType<typeof createTestStore>;
  let dir: string;
  beforeEach(() => {
    db = createTestStore();
    dir = mkdtempSync(join(tmpdir(), 'runcast-record-limit-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bytesOf = async (path: string) => {
    const run = await db.runs.get(path);
    return run ? db.points.readTuples({ runId: run.id, key: 'bytes' }) : [];
  };

  it('a file stopped for want of a record boundary is not read as one final record either', async () => {
    const path = join(dir, 'endless.len');
    const chunkSize = MAX_RECORD_BYTES / 2 + 1;
    writeFileSync(path, Buffer.alloc(chunkSize + 10, 0x78));
    const s = await ingestPaths({ db, plugins: [lengths], paths: [path], chunkSize });
    expect(s.files[0]).toMatchObject({ status: 'failed', points: 0, rows: 0, bytes: 0 });
    expect(s.files[0]!.errors).toEqual([
      {
        level: 'error',
        offset: 0,
        message: `no record boundary within ${MAX_RECORD_BYTES} bytes; file not read further`,
      },
    ]);
    expect(await bytesOf(path)).toEqual([]);
  });

  it('the chunk doubles up to exactly the limit to find a record boundary', async () => {
    const path = join(dir, 'edge.len');
    const line = MAX_RECORD_BYTES / 2 + 10;
    writeFileSync(path, Buffer.alloc(line + 1, 0x78).fill(0x0a, line));
    const s = await ingestPaths({
      db,
      plugins: [lengths],
      paths: [path],
      chunkSize: MAX_RECORD_BYTES / 2,
    });
    expect(s.files[0]).toMatchObject({ status: 'completed', points: 1, bytes: line + 1 });
    expect(s.files[0]!.errors).toEqual([]);
    expect(await bytesOf(path)).toEqual([[0, line]]);
  });

  it('an unterminated end of exactly the limit is read on a final pass; one byte more is named, not read', async () => {
    const chunkSize = MAX_RECORD_BYTES + 16;
    const exact = join(dir, 'tail-exact.len');
    writeFileSync(exact, Buffer.alloc(3 + MAX_RECORD_BYTES, 0x78).fill(0x0a, 2, 3));
    const e = await ingestPaths({ db, plugins: [lengths], paths: [exact], chunkSize });
    expect(e.files[0]).toMatchObject({ status: 'completed', bytes: 3, errors: [] });
    expect(await bytesOf(exact)).toEqual([
      [0, 2],
      [1, MAX_RECORD_BYTES],
    ]);

    const over = join(dir, 'tail-over.len');
    writeFileSync(over, Buffer.alloc(3 + MAX_RECORD_BYTES + 1, 0x78).fill(0x0a, 2, 3));
    const o = await ingestPaths({ db, plugins: [lengths], paths: [over], chunkSize });
    expect(o.files[0]).toMatchObject({ status: 'partial', points: 1, rows: 1, bytes: 3 });
    expect(o.files[0]!.errors).toEqual([
      {
        level: 'error',
        offset: 3,
        message: `unterminated last record at byte 3 is ${MAX_RECORD_BYTES + 1} bytes, over the ${MAX_RECORD_BYTES}-byte record limit; not read`,
      },
    ]);
    // What came before is kept; the offset waits at the start of the unread record.
    expect(await bytesOf(over)).toEqual([[0, 2]]);
    expect((await db.ingest.getOffset({ path: over }))?.offset).toBe(3);
  });
});
