import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricRow, RunInfo } from '@runcast/core';
import { feedInPieces, makeCuts, parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { classifyStorePath, createMlflowPlugin } from './index';

const STORES = fileURLToPath(new URL('../../../../shared/fixtures/logs/mlflow/', import.meta.url));
const plugin = createMlflowPlugin();
const encode = (text: string) => new TextEncoder().encode(text);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const ALL = listFiles(STORES).filter((f) => !f.endsWith('SOURCES.md'));
const METRIC_FILES = ALL.filter((f) => f.includes('/metrics/'));

interface IngestedRun {
  name: string;
  project?: string;
  status?: string;
  group?: string | null;
  config: Record<string, unknown>;
  series: Map<string, MetricRow[]>;
}

/**
 * What a host does with the store: every file the plugin claims is parsed whole, rows and run
 * info go to the run of identify(path), config keys are merged, project scopes applied last.
 */
function ingestStore(files: string[]) {
  const runs = new Map<string, IngestedRun>();
  const scopes: { keyPrefix: string; project: string }[] = [];
  for (const path of files) {
    const bytes = readFileSync(path);
    if (plugin.detect(path, bytes.subarray(0, 65536)) < 0.5) continue;
    const id = plugin.identify!(path);
    const result = parseWhole(plugin, path, bytes);
    expect(result.issues, path).toEqual([]);
    scopes.push(...(result.projectScopes ?? []));
    if (result.rows.length === 0 && !result.runs?.length) continue;
    const run = runs.get(id.key) ?? { name: id.name, config: {}, series: new Map() };
    runs.set(id.key, run);
    for (const info of result.runs ?? ([] as RunInfo[])) {
      const { config, ...rest } = info;
      Object.assign(run, rest);
      Object.assign(run.config, config);
    }
    for (const row of result.rows) {
      for (const key of Object.keys(row.metrics))
        run.series.set(key, [...(run.series.get(key) ?? []), row]);
    }
  }
  for (const [key, run] of runs) {
    for (const scope of scopes) if (key.startsWith(scope.keyPrefix)) run.project = scope.project;
  }
  return runs;
}

describe.each(METRIC_FILES.map((path) => ({ path, name: path.slice(STORES.length) })))(
  'metric file $name',
  ({ path }) => {
    const bytes = readFileSync(path);
    const lines = bytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const key = path.slice(path.indexOf('/metrics/') + '/metrics/'.length);

    it('reads every line as a point at its step and time', () => {
      const result = parseWhole(plugin, path, bytes);
      expect(result.issues).toEqual([]);
      expect(result.consumed).toBe(bytes.length);
      expect(result.rows).toHaveLength(lines.length);
      const fields = (line: string) => line.split(' ');
      const pyFloat = (s: string) =>
        s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
      const [ts0, v0, s0] = fields(lines[0]!);
      const [tsN, vN, sN] = fields(lines.at(-1)!);
      expect(result.rows[0]).toEqual({
        step: Number(s0),
        time: Number(ts0) / 1000,
        metrics: { [key]: pyFloat(v0!) },
      });
      expect(result.rows.at(-1)).toEqual({
        step: Number(sN),
        time: Number(tsN) / 1000,
        metrics: { [key]: pyFloat(vN!) },
      });
    });

    it('gives the same rows when tailed in pieces that cut lines in half', () => {
      const once = parseWhole(plugin, path, bytes);
      const fed = feedInPieces({
        plugin,
        path,
        bytes,
        mode: 'tail',
        cuts: makeCuts({ length: bytes.length, seed: 7, maxPiece: 13 }),
      });
      expect(fed.consumed).toBe(bytes.length);
      expect(fed.rows).toEqual(once.rows);
    });
  },
);

describe('MLflow stores end to end (as a host would merge them)', () => {
  it('keras-autolog-mlflow1: one run, the experiment name as project, the 10-epoch loss curve', () => {
    const runs = ingestStore(ALL.filter((f) => f.includes('keras-autolog-mlflow1')));
    expect(runs.size).toBe(1);
    const [[key, run]] = [...runs] as [[string, IngestedRun]];
    expect(key.endsWith('mlruns/1/ed05f9cd599442fe9a0c9222184710b8')).toBe(true);
    expect(run.name).toBe('ed05f9cd599442fe9a0c9222184710b8');
    expect(run.project).toBe('Speech model simple rnn');
    expect(run.status).toBe('finished');
    const paramsDir = join(key, 'params');
    const params = readdirSync(paramsDir);
    expect(params).toHaveLength(20);
    for (const param of params)
      expect(run.config[param], param).toBe(readFileSync(join(paramsDir, param), 'utf8'));
    expect(run.config.opt_learning_rate).toBe('0.002');
    expect(run.config['tags/mlflow.autologging']).toBe('tensorflow');
    const loss = run.series.get('loss')!;
    expect(loss.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(loss[0]?.metrics.loss).toBeCloseTo(332.68, 2);
    expect(loss.at(-1)?.metrics.loss).toBeCloseTo(234.8, 2);
  });

  it('sklearn-gd-mlflow2: four runs with names, projects, nested group, a never-closed run, non-finite values', () => {
    const runs = ingestStore(ALL.filter((f) => f.includes('sklearn-gd-mlflow2')));
    const byId = new Map([...runs].map(([key, run]) => [key.split('/').pop()!, run]));
    expect(byId.size).toBe(4);
    const readTag = (exp: string, id: string, tag: string) =>
      readFileSync(join(STORES, 'sklearn-gd-mlflow2/mlruns', exp, id, 'tags', tag), 'utf8');
    const parent = byId.get('872ef647ccd44f458c95616a82ac06df')!;
    expect(parent).toMatchObject({
      name: 'funny-wasp-61',
      project: 'A1_CarPrice_Experiment',
      status: 'running',
    });
    expect(parent.series.size).toBe(0);
    const child = byId.get('01b00ed5f87a4871af35132d3e96f495')!;
    expect(child.name).toBe(
      readTag('226303471490478264', '01b00ed5f87a4871af35132d3e96f495', 'mlflow.runName'),
    );
    expect(child.group).toBe('872ef647ccd44f458c95616a82ac06df');
    expect(child.project).toBe('A1_CarPrice_Experiment');
    const first = byId.get('415f7d02eedd43a5a8a61587445e786a')!;
    expect(first.project).toBe('Default');
    expect(first.series.get('cv_mse')?.[0]?.metrics.cv_mse).toBe(Number.POSITIVE_INFINITY);
    expect(first.series.get('cv_r2')?.[0]?.metrics.cv_r2).toBe(Number.NEGATIVE_INFINITY);
    const big = byId.get('d460c9da22134faf9b1270121b413210')!;
    expect(big.series.get('avg_mse')?.[0]?.metrics.avg_mse).toBe(1.2528732021999763e22);
    expect(big.status).toBe('finished');
  });
});

describe('store paths and files', () => {
  it('classifies store files and ignores artifacts and .trash', () => {
    const run = '/m/mlruns/7/0123456789abcdef0123456789abcdef';
    expect(classifyStorePath(`${run}/metrics/train/loss`)).toMatchObject({
      kind: 'metric',
      key: 'train/loss',
      experimentId: '7',
      runDir: run,
    });
    expect(classifyStorePath(`${run}/params/lr`)).toMatchObject({ kind: 'param', key: 'lr' });
    expect(classifyStorePath(`${run}/meta.yaml`)).toMatchObject({ kind: 'run-meta' });
    expect(classifyStorePath('/m/mlruns/7/meta.yaml')).toEqual({
      kind: 'experiment-meta',
      experimentDir: '/m/mlruns/7',
      experimentId: '7',
    });
    expect(classifyStorePath(`${run}/artifacts/model/MLmodel`)).toBeUndefined();
    expect(classifyStorePath('/m/mlruns/.trash/7/meta.yaml')).toBeUndefined();
  });

  it('maps every file of a run folder to one run, and keys nested metric names by their path', () => {
    const run = '/m/mlruns/7/0123456789abcdef0123456789abcdef';
    const keys = ['metrics/train/loss', 'params/lr', 'tags/mlflow.runName', 'meta.yaml'].map(
      (f) => plugin.identify?.(`${run}/${f}`)?.key,
    );
    expect(new Set(keys)).toEqual(new Set([run]));
    const result = parseWhole(
      plugin,
      `${run}/metrics/train/loss`,
      encode('1700000000000 2.5 10\n1700000001000 nan 11\n'),
    );
    expect(result.rows).toEqual([
      { step: 10, time: 1700000000, metrics: { 'train/loss': 2.5 } },
      { step: 11, time: 1700000001, metrics: { 'train/loss': Number.NaN } },
    ]);
  });

  it('reads old two-field lines at step 0 and reports bad lines with their line number', () => {
    const path = '/m/mlruns/0/0123456789abcdef0123456789abcdef/metrics/acc';
    const result = parseWhole(
      plugin,
      path,
      encode('1700000000000 0.5\nbroken line here now\n1700000002000 zz 3\n'),
    );
    expect(result.rows).toEqual([{ step: 0, time: 1700000000, metrics: { acc: 0.5 } }]);
    expect(result.issues).toMatchObject([{ line: 2 }, { line: 3, field: 'acc' }]);
  });

  it('holds back a partial last line while tailing', () => {
    const path = '/m/mlruns/0/0123456789abcdef0123456789abcdef/metrics/acc';
    const live = plugin.parse(
      encode('1700000000000 0.5 1\n1700000001000 0.'),
      plugin.initialState(path),
      {
        path,
        offset: 0,
        eof: true,
        final: false,
      },
    );
    expect(live.consumed).toBe(20);
    expect(live.rows).toHaveLength(1);
  });
});
