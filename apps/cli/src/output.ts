import { escapeUnsafeText, UNSAFE_TEXT_CLASS } from '@runcast/core';

/** Our own colour codes (style below), or any unsafe character other than a newline. */
const OUR_STYLES_OR_UNSAFE = new RegExp(
  `(\u001b\\[(?:0|1|2|31|32|33)m)|(?!\n)${UNSAFE_TEXT_CLASS}`,
  'g',
);
/** JSON.stringify escapes C0 itself; what it leaves raw (the pretty-print newlines kept). */
const UNSAFE_IN_JSON = new RegExp(`(?!\n)${UNSAFE_TEXT_CLASS}`, 'g');

/**
 * Text made harmless for a terminal: stored names may hold escapes (`\x1b[2J` clears the screen,
 * `\x1b]0;...\x07` sets the title) or bidi overrides. Every control or bidi-formatting character
 * is shown escaped, except newlines and the colour codes of `style` itself.
 */
export function harmless(text: string): string {
  return text.replace(OUR_STYLES_OR_UNSAFE, (match, ours: string | undefined) =>
    ours ? ours : escapeUnsafeText(match),
  );
}

/**
 * `--json`: exactly one JSON document on stdout. NaN and Infinity become null. C1 controls and
 * bidi-formatting characters (which JSON.stringify leaves raw) are written as \uXXXX escapes.
 */
export function printJson(doc: unknown): void {
  const text = JSON.stringify(doc, null, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
  process.stdout.write(`${text}\n`);
}

/** Human output goes to stderr, so stdout stays clean for --json and pipes. */
export function say(text = ''): void {
  process.stderr.write(`${harmless(text)}\n`);
}

const useColor = process.stderr.isTTY && !process.env.NO_COLOR;

function paint(code: string, text: string): string {
  return useColor ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const style = {
  bold: (t: string) => paint('1', t),
  dim: (t: string) => paint('2', t),
  red: (t: string) => paint('31', t),
  green: (t: string) => paint('32', t),
  yellow: (t: string) => paint('33', t),
};
