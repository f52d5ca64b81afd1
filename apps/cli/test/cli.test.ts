import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonl(rows: Record<string, number>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('ingest, runs, show, series', () => {
  it('ingests a generated JSONL file; runs --json lists it with the right point counts; twice adds 0', () => {
    const db = join(dir, 'a.db');
    const file = join(dir, 'train-a.jsonl');
    const rows = Array.from({ length: 300 }, (_, i) => ({
      step: i * 10,
      loss: 4 - i / 100,
      lr: 1e-3,
    }));
    writeFileSync(
      file,
      jsonl(rows.slice(0, 250)) + jsonl(rows.slice(250).map(({ step, loss }) => ({ step, loss }))),
    );
    const first = runCli(['ingest', file, '--json'], { db });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.files[0]).toMatchObject({ path: file, format: 'jsonl', status: 'completed' });
    expect(summary.files[0].points).toBe(550);

    const runs = runCli(['runs', '--json'], { db });
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'train-a', project: 'default' });
    const counts = Object.fromEntries(
      listed[0].series.map((s: { key: string; points: number }) => [s.key, s.points]),
    );
    expect(counts).toEqual({ loss: 300, lr: 250 });
    expect(listed[0].series.find((s: { key: string }) => s.key === 'loss')).toMatchObject({
      lastStep: 2990,
    });

    const again = JSON.parse(runCli(['ingest', file, '--json'], { db }).stdout);
    expect(again.files[0].points).toBe(0);
    expect(JSON.parse(runCli(['runs', '--json'], { db }).stdout)[0].series[0].points).toBe(300);

    appendFileSync(file, jsonl([{ step: 3000, loss: 1 }]));
    expect(JSON.parse(runCli(['ingest', file, '--json'], { db }).stdout).files[0].points).toBe(1);

    const show = runCli(['show', 'train-a'], { db });
    expect(show.code).toBe(0);
    expect(show.stderr).toContain('train-a');
    expect(show.stdout).toBe('');
    const series = JSON.parse(
      runCli(['series', 'train-a', '--max-points', '100', '--json'], { db }).stdout,
    );
    expect(series.key).toBe('loss');
    expect(series.points.length).toBeLessThanOrEqual(100);
    expect(series.points.at(-1)).toEqual([3000, 1]);
  });

  it('reports bad lines with line numbers, keeps the good ones, fails only when nothing was read', () => {
    const db = join(dir, 'b.db');
    const mixed = join(dir, 'mixed.jsonl');
    writeFileSync(mixed, '{"step": 1, "loss": 3}\nnot json\n{"step": 2, "loss": 2.9}\n');
    const result = runCli(['ingest', mixed], { db });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/mixed\.jsonl:2/);
    const garbage = join(dir, 'garbage.jsonl');
    writeFileSync(garbage, 'not json\nstill not\n');
    expect(runCli(['ingest', garbage], { db }).code).toBe(1);
  });

  it('an unterminated last record over the 64 MiB record limit is named with its file and offset; what came before is kept', () => {
    const db = join(dir, 'oversize.db');
    const file = join(dir, 'oversize.jsonl');
    const head = '{"step": 1, "loss": 3}\n';
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(head), Buffer.alloc(64 * 1024 * 1024 + 1, 0x78)]),
    );
    const result = runCli(['ingest', file], { db });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `  ${file} @${head.length}: no record boundary within 67108864 bytes; file not read further\n`,
    );
    expect(result.stderr).toContain('1 points written from 1 file(s): partial');
    rmSync(file);
  });

  it('a Lightning folder: its final checkpoint (name only) makes the run finished; weights and images are one summary line', () => {
    const db = join(dir, 'ckpt.db');
    const real = new URL(
      '../../../../shared/fixtures/logs/lightning-csv/slm-training-epoch-and-step/lightning_logs/version_0/',
      import.meta.url,
    ).pathname;
    const version = join(dir, 'slm', 'lightning_logs', 'version_0');
    mkdirSync(join(version, 'checkpoints'), { recursive: true });
    for (const f of ['metrics.csv', 'hparams.yaml']) copyFileSync(join(real, f), join(version, f));
    writeFileSync(join(version, 'checkpoints', 'epoch=9-step=140740.ckpt'), '');
    writeFileSync(join(dir, 'slm', 'loss.png'), '\x89PNG\r\n');
    const result = runCli(['ingest', join(dir, 'slm')], { db });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /skipped 2 file\(s\) that are not logs \((1 \.ckpt, 1 \.png|1 \.png, 1 \.ckpt)\)/,
    );
    expect(result.stderr).not.toContain('epoch=9-step=140740.ckpt');
    const runs = JSON.parse(runCli(['runs', '--json'], { db }).stdout);
    expect(runs).toMatchObject([
      { name: 'slm/version_0', status: 'finished', stepsPlanned: 140740 },
    ]);
    expect(runCli(['show', 'slm/version_0'], { db }).stderr).toContain(
      'finished (from log-metadata)',
    );
  });

  it('show names the setting that stated the plan: num_train_epochs when HF max_steps is -1 (W&B run)', () => {
    const db = join(dir, 'wandb-hf.db');
    const run = new URL(
      '../../../packages/ingest/fixtures/logs/wandb-hf-clm-epoch-series/',
      import.meta.url,
    ).pathname;
    expect(runCli(['ingest', run], { db }).code).toBe(0);
    const show = runCli(['show', 'c0ox9krr'], { db }).stderr;
    expect(show).toContain('73 of 73 planned (stated in the logs: num_train_epochs)');
    expect(show).toContain('finished (from log-metadata)');
  });

  it('uses exit code 2 for usage errors', () => {
    const db = join(dir, 'c.db');
    expect(runCli(['nope'], { db }).code).toBe(2);
    expect(runCli(['runs', '--bogus'], { db }).code).toBe(2);
    expect(runCli(['should-stop', '1'], { db }).code).toBe(2);
    expect(runCli(['ingest', join(dir, 'x.jsonl'), '--schedule', '{"kind":'], { db }).code).toBe(2);
    const help = runCli(['--help'], { db });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('3  should-stop: stopping is recommended');
  });

  it('creates, lists and revokes tokens', () => {
    const db = join(dir, 'd.db');
    const created = JSON.parse(
      runCli(['token', 'create', '--name', 'ci', '--scope', 'write', '--json'], { db }).stdout,
    );
    expect(created.secret).toMatch(/^rc_/);
    const listed = JSON.parse(runCli(['token', 'list', '--json'], { db }).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: created.id, scope: 'write', revoked: false }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(runCli(['token', 'revoke', String(created.id)], { db }).code).toBe(0);
    expect(JSON.parse(runCli(['token', 'list', '--json'], { db }).stdout)[0].revoked).toBe(true);
  });

  it('creates admin tokens; refuses an unknown scope as a usage error', () => {
    const db = join(dir, 'd2.db');
    const admin = runCli(['token', 'create', '--name', 'ops', '--scope', 'admin', '--json'], {
      db,
    });
    expect(admin.code).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ name: 'ops', scope: 'admin' });
    const bad = runCli(['token', 'create', '--name', 'x', '--scope', 'root'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--scope must be read, write or admin');
    expect(JSON.parse(runCli(['token', 'list', '--json'], { db }).stdout)).toHaveLength(1);
  });
});
