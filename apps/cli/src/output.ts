/** `--json`: exactly one JSON document on stdout. NaN and Infinity become null. */
export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** Human output goes to stderr, so stdout stays clean for --json and pipes. */
export function say(text = ''): void {
  process.stderr.write(`${text}\n`);
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
