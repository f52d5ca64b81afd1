import { describe, expect, it } from 'vitest';
import {
  describeUnsafeText,
  escapeUnsafeText,
  MetricKey,
  RunName,
  replaceUnsafeText,
  sanitizeName,
} from './safe-text';

const ATTACK = 'esc\u001b[2J\u001b]0;T\u0007';

describe('safe text', () => {
  it('finds C0, DEL, C1 and bidi-formatting characters, and nothing in ordinary names', () => {
    for (const bad of [
      ATTACK,
      'a\tb',
      'a\nb',
      'a\u0000',
      'a\u007f',
      'a\u0085',
      'a\u009b2J',
      'admin\u202egpj.exe',
      'x\u2066y\u2069',
      'x\u200fy',
      'x\u2028y',
    ]) {
      expect(describeUnsafeText(bad), JSON.stringify(bad)).toMatch(/^contains a control/);
    }
    for (const good of ['gpt-small-1', 'train/loss', 'lr-AdamW/pg1', 'run ü 日本 🚀', 'a b.c_d']) {
      expect(describeUnsafeText(good)).toBeUndefined();
    }
    expect(describeUnsafeText(ATTACK)).toBe(
      'contains a control or bidi-formatting character (U+001B at index 3)',
    );
  });

  it('replaces (file names) and escapes (terminal output) every one of them', () => {
    expect(replaceUnsafeText(ATTACK)).toBe('esc\uFFFD[2J\uFFFD]0;T\uFFFD');
    expect(escapeUnsafeText(ATTACK)).toBe('esc\\x1b[2J\\x1b]0;T\\x07');
    expect(escapeUnsafeText('a\u202eb\u0085')).toBe('a\\u202eb\\x85');
    expect(sanitizeName(`${'x'.repeat(600)}\u0007`, 500)).toBe('x'.repeat(500));
    expect(sanitizeName('ok\u0007', 500)).toBe('ok\uFFFD');
  });

  it('the schemas refuse them with a message naming the character, and keep the limits', () => {
    const bad = RunName.safeParse(ATTACK);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('U+001B');
    expect(RunName.safeParse('x'.repeat(500)).success).toBe(true);
    expect(RunName.safeParse('x'.repeat(501)).success).toBe(false);
    expect(MetricKey.safeParse('__proto__').success).toBe(true);
    expect(MetricKey.safeParse('x'.repeat(201)).success).toBe(false);
  });
});
