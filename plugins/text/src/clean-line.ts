const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');

/** The text without ANSI colour / cursor codes. */
export function stripAnsi(text: string): string {
  return text.includes(ESC) ? text.replace(ANSI, '') : text;
}

/**
 * The visible segments of a log line: ANSI colours and backspaces (a progress bar erasing itself
 * before a redraw, Keras's Progbar) removed, `\r` progress updates split apart.
 */
export function cleanLine(line: string): string[] {
  const text = stripAnsi(line).replaceAll('\b', '');
  return text.includes('\r') ? text.split('\r').filter((s) => s.length > 0) : [text];
}
