import { describe, expect, it } from 'vitest';
import { splitCompleteLines } from './lines';
import type { ParseContext } from './plugin';

const encode = (text: string) => new TextEncoder().encode(text);
const tailing: ParseContext = { path: '/r/log.txt', offset: 0, eof: true, final: false };
const final: ParseContext = { ...tailing, final: true };

describe('splitCompleteLines', () => {
  it('returns the whole lines and leaves an unterminated tail for later while tailing', () => {
    const chunk = encode('a\nbb\nccc');
    expect(splitCompleteLines(chunk, tailing)).toEqual({
      lines: ['a', 'bb'],
      consumed: 5,
      overlong: false,
      unterminated: false,
    });
  });

  it('takes the unterminated tail as a line when the file is final and the chunk ends at eof', () => {
    const chunk = encode('a\nbb\nccc');
    expect(splitCompleteLines(chunk, final)).toEqual({
      lines: ['a', 'bb', 'ccc'],
      consumed: chunk.length,
      overlong: false,
      unterminated: true,
    });
  });

  it('keeps waiting for the tail of a final file when the chunk does not reach eof', () => {
    const chunk = encode('a\nbb');
    expect(splitCompleteLines(chunk, { ...final, eof: false }).lines).toEqual(['a']);
  });

  it('drops the CR of CRLF endings and keeps empty lines', () => {
    const result = splitCompleteLines(encode('x\r\n\r\ny\r\n'), tailing);
    expect(result.lines).toEqual(['x', '', 'y']);
    expect(result.consumed).toBe(8);
  });

  it('consumes nothing when no line is complete', () => {
    expect(splitCompleteLines(encode('partial'), tailing)).toEqual({
      lines: [],
      consumed: 0,
      overlong: false,
      unterminated: false,
    });
    expect(splitCompleteLines(new Uint8Array(0), final)).toEqual({
      lines: [],
      consumed: 0,
      overlong: false,
      unterminated: false,
    });
  });

  it('gives up on an unterminated line over 1 MiB so a tail never blocks forever', () => {
    const chunk = new Uint8Array((1 << 20) + 1).fill(0x61);
    expect(splitCompleteLines(chunk, tailing)).toEqual({
      lines: [],
      consumed: chunk.length,
      overlong: true,
      unterminated: false,
    });
    expect(splitCompleteLines(chunk.subarray(1), tailing).consumed).toBe(0);
  });

  it('decodes UTF-8 split across lines and never splits inside a character', () => {
    const chunk = encode('é=1\nß');
    const result = splitCompleteLines(chunk.subarray(0, chunk.length - 1), tailing);
    expect(result.lines).toEqual(['é=1']);
    expect(result.consumed).toBe(encode('é=1\n').length);
  });
});
