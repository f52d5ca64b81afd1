import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { ParseContext } from '@runcast/core';
import { describe, expect, it } from 'vitest';
import { createTensorboardPlugin, encodeScalarEvent, encodeTfRecord } from '../src/index';
import { parseTfEvents } from '../src/parse';
import { readFixture } from './fixtures';

// The run config of HF's `args/text_summary` text (TrainingArguments as JSON) and what the
// parser returns around it. Events written here field by field (tensorboard's summary.proto:
// Summary.Value tag 1, tensor 8, metadata 9; TensorProto dtype 1, string_val 8; DT_STRING = 7).

function textEvent(step: number, tag: string, text: string): Uint8Array {
  const w = new BinaryWriter();
  w.tag(1, WireType.Bit64).double(1.7e9);
  w.tag(2, WireType.Varint).int64(step);
  w.tag(5, WireType.LengthDelimited).fork(); // Summary
  w.tag(1, WireType.LengthDelimited).fork(); // Summary.Value
  w.tag(1, WireType.LengthDelimited).string(tag);
  w.tag(9, WireType.LengthDelimited).fork(); // SummaryMetadata
  w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string('text').join();
  w.join();
  w.tag(8, WireType.LengthDelimited).fork(); // TensorProto
  w.tag(1, WireType.Varint).int32(7);
  w.tag(8, WireType.LengthDelimited).bytes(new TextEncoder().encode(text));
  w.join();
  w.join();
  w.join();
  return encodeTfRecord(w.finish());
}

const ARGS = 'args/text_summary';
const ctx = (offset = 0): ParseContext =>
  ({ path: '/logs/events.out.tfevents.1', offset, final: true, eof: true }) as ParseContext;
const parseOne = (record: Uint8Array) => parseTfEvents(record, { tagPlugins: {} }, ctx());

describe('the args text as run config', () => {
  it('HF TrainingArguments (batch size and scheduler stated): the JSON plus the hf-trainer mark', () => {
    const args = { per_device_train_batch_size: 8, lr_scheduler_type: 'cosine', max_steps: 900 };
    const record = textEvent(0, ARGS, JSON.stringify(args));
    const r = parseOne(record);
    expect(r).toEqual({
      rows: [],
      consumed: record.length,
      state: { tagPlugins: { [ARGS]: 'text' } },
      issues: [],
      skipped: {},
      runs: [{ config: { ...args, 'runcast/trainer': 'hf-trainer' } }],
    });
  });

  it('an object without both HF keys is config as it stands, with no trainer named', () => {
    for (const args of [
      { lr_scheduler_type: 'cosine', max_steps: 900 },
      { per_device_train_batch_size: 8, max_steps: 900 },
      { max_steps: 900 },
    ]) {
      const r = parseOne(textEvent(0, ARGS, JSON.stringify(args)));
      expect(r.runs, JSON.stringify(args)).toEqual([{ config: args }]);
      expect(r.issues).toEqual([]);
    }
  });

  it('args text that is not a JSON object is not config, and not an error', () => {
    for (const text of ['42', '"cosine"', 'null', 'true', '[1, 2]', '{"max_steps": ', '']) {
      const record = textEvent(0, ARGS, text);
      const r = parseOne(record);
      expect(r, text).toEqual({
        rows: [],
        consumed: record.length,
        state: { tagPlugins: { [ARGS]: 'text' } },
        issues: [],
        skipped: {},
      });
    }
  });

  it('the real HF run: one config, read inside the test (TrainingArguments of the t5 fixture)', () => {
    const { path, bytes } = readFixture(
      'pytorch-hf-trainer-t5/runs/Mar24_22-23-40_DESKTOP-41L2EO3/events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0',
    );
    const r = parseTfEvents(bytes, { tagPlugins: {} }, { ...ctx(), path });
    expect(r.runs).toHaveLength(1);
    const config = r.runs![0]!.config as Record<string, unknown>;
    expect(config['runcast/trainer']).toBe('hf-trainer');
    expect(config.lr_scheduler_type).toBe('linear');
    expect(config.per_device_train_batch_size).toBe(4);
  });
});

describe('the parse result around it', () => {
  it('a file of scalars only has no runs entry at all', () => {
    const record = encodeTfRecord(
      encodeScalarEvent({ step: 3, values: [{ tag: 'loss', value: 2 }] }),
    );
    expect(parseOne(record)).toEqual({
      rows: [{ step: 3, metrics: { loss: 2 } }],
      consumed: record.length,
      state: { tagPlugins: {} },
      issues: [],
      skipped: {},
    });
    expect('runs' in parseOne(record)).toBe(false);
  });

  it('a plugin starts every file with an empty tag -> plugin map', () => {
    expect(createTensorboardPlugin().initialState('/logs/events.out.tfevents.1')).toEqual({
      tagPlugins: {},
    });
  });

  it('a later chunk that reads as a Git LFS pointer is corrupt event data at its own offset', () => {
    // Only a file's first bytes can be a pointer; further in, the text is a bad record header.
    const text = new TextEncoder().encode(
      'version https://git-lfs.github.com/spec/v1\noid sha256:0000\nsize 123\n',
    );
    const r = parseTfEvents(text, { tagPlugins: {} }, ctx(4096));
    expect(r).toMatchObject({ consumed: 0, halt: true, rows: [] });
    expect(r.issues).toEqual([
      {
        level: 'error',
        offset: 4096,
        message:
          'record length CRC mismatch at byte 4096: the file is corrupt from here, reading stops (records before it are kept)',
      },
    ]);
    // At offset 0 the same bytes are named for what they are.
    expect(parseTfEvents(text, { tagPlugins: {} }, ctx(0)).issues[0]!.message).toBe(
      'events.out.tfevents.1 is a Git LFS pointer, not event data: run git lfs pull',
    );
  });
});
