import { z } from 'zod';

/**
 * The character class (regex source) of what must never reach a name, key, tag or project: C0 controls (tab and newline
 * included), DEL, C1 controls (U+0080-U+009F: U+009B is a one-byte CSI to some terminals), the
 * line/paragraph separators and the bidirectional formatting characters that reorder what is
 * displayed (Trojan Source: U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
 */
export const UNSAFE_TEXT_CLASS =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_TEXT_CLASS);
const UNSAFE_ALL = new RegExp(UNSAFE_TEXT_CLASS, 'g');

/** `U+001B` for a character. */
export function describeCodePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first control or bidi-formatting character in `text`, or undefined. */
export function findUnsafeChar(text: string): { index: number; char: string } | undefined {
  const m = UNSAFE.exec(text);
  return m ? { index: m.index, char: m[0] } : undefined;
}

/** Why `text` is refused as a name, or undefined when it is fine. */
export function describeUnsafeText(text: string): string | undefined {
  const found = findUnsafeChar(text);
  if (!found) return undefined;
  return `contains a control or bidi-formatting character (${describeCodePoint(found.char)} at index ${found.index})`;
}

/**
 * Text from files (names, keys derived from paths and log contents) made safe to store and
 * display: every control or bidi-formatting character becomes U+FFFD.
 */
export function replaceUnsafeText(text: string): string {
  return text.replace(UNSAFE_ALL, '\uFFFD');
}

/**
 * Text made harmless for a terminal: every control or bidi-formatting character shown as a
 * visible escape (`\x1b`, `\u202e`). Newlines are escaped too; callers keep their own.
 */
export function escapeUnsafeText(text: string): string {
  return text.replace(UNSAFE_ALL, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A string schema that refuses control and bidi-formatting characters, naming the first one. */
export function safeText(schema: z.ZodString = z.string()) {
  return schema.superRefine((text, ctx) => {
    const problem = describeUnsafeText(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Length limits of names, the same at every entry point (push, tRPC, CLI, log files). */
export const NAME_LIMITS = {
  run: 500,
  project: 200,
  group: 200,
  tag: 200,
  metricKey: 200,
  tokenName: 200,
} as const;

export const RunName = safeText(z.string().min(1).max(NAME_LIMITS.run));
export const ProjectName = safeText(z.string().min(1).max(NAME_LIMITS.project));
export const GroupName = safeText(z.string().min(1).max(NAME_LIMITS.group));
export const TagName = safeText(z.string().min(1).max(NAME_LIMITS.tag));
export const MetricKey = safeText(z.string().min(1).max(NAME_LIMITS.metricKey));

/**
 * A name read from a file (a path, a log's run name, a column) made storable: unsafe characters
 * replaced (replaceUnsafeText), cut to `limit` characters. Refusing would lose the data.
 */
export function sanitizeName(text: string, limit: number): string {
  const clean = replaceUnsafeText(text);
  return clean.length > limit ? clean.slice(0, limit) : clean;
}
