import { parseWhole } from '@runcast/core/testing';
import { describe, expect, it } from 'vitest';
import { createWandbPlugin, encodeWandbLog, parseExtendedJson } from '../src/index';

const plugin = createWandbPlugin();
const path = '/w/offline-run-20260101_000000-zz/run-zz.wandb';

describe('history values', () => {
  it('reads bare NaN/Infinity tokens, both key encodings and skips media objects', () => {
    const log = encodeWandbLog([
      {
        history: {
          step: 0,
          timestamp: 1.7e9,
          values: { loss: Number.NaN, up: Number.POSITIVE_INFINITY },
        },
      },
      {
        history: {
          step: 1,
          values: { loss: Number.NEGATIVE_INFINITY, img: '{"_type":"image-file","path":"a.png"}' },
          keyField: 'key',
        },
      },
      { history: { step: 2, values: { note: '"text"', flag: 'true' } } },
    ]);
    const result = parseWhole(plugin, path, log);
    expect(result.rows).toEqual([
      { step: 0, time: 1.7e9, metrics: { loss: Number.NaN, up: Number.POSITIVE_INFINITY } },
      { step: 1, metrics: { loss: Number.NEGATIVE_INFINITY } },
    ]);
    expect(result.skipped).toEqual({
      'non-numeric history value': 3,
      'history row without metrics': 1,
    });
  });

  it('parses extended JSON with the tokens outside strings only', () => {
    expect(parseExtendedJson('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}')).toEqual({
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      c: 'NaN',
    });
    expect(() => parseExtendedJson('{"a": nope}')).toThrow();
  });

  it('uses the define_metric("*") step metric as step (HF integration: train/global_step)', () => {
    const log = encodeWandbLog([
      { metric: { name: 'train/global_step' } },
      { metric: { glob: '*', stepMetric: 'train/global_step' } },
      { history: { step: 0, values: { 'train/loss': 3, 'train/global_step': 500 } } },
      { history: { step: 1, values: { 'train/loss': 2, 'train/global_step': 1000 } } },
      { history: { step: 2, values: { 'eval/loss': 2.5 } } },
      { history: { step: 3, values: { 'train/global_step': 1500 } } },
    ]);
    const result = parseWhole(plugin, path, log);
    expect(result.rows).toEqual([
      { step: 500, metrics: { 'train/loss': 3 } },
      { step: 1000, metrics: { 'train/loss': 2 } },
      { step: 2, metrics: { 'eval/loss': 2.5 } },
    ]);
    expect(result.skipped).toEqual({ metric: 2, 'history row without metrics': 1 });
  });

  it('applies config updates in order and reports run name, group and exit status', () => {
    const log = encodeWandbLog([
      { run: { runId: 'zz', displayName: 'fancy-name-7', project: 'proj', group: 'g1' } },
      { config: { lr: 0.1, model: { layers: 4 } } },
      { config: { lr: 0.2 } },
      { exit: { exitCode: 2 } },
    ]);
    const [info] =
      plugin.parse(log, plugin.initialState(path), { path, offset: 0, eof: true, final: true })
        .runs ?? [];
    expect(info).toEqual({
      name: 'fancy-name-7',
      project: 'proj',
      group: 'g1',
      status: 'crashed',
      config: { lr: 0.2, model: { layers: 4 } },
    });
  });
});
