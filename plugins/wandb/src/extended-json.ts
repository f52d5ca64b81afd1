/**
 * W&B's value_json is JSON extended with bare NaN, Infinity and -Infinity tokens
 * (wandb/wandb `core/internal/runhistory/runhistory.go`; Python's json.dumps writes the same).
 */

/** A number from value_json, or undefined when the value is not a number (object, string...). */
export function readJsonNumber(text: string): number | undefined {
  const first = text.charCodeAt(0);
  // Numbers start with a digit, '-', 'N' (NaN) or 'I' (Infinity); skip objects/strings/bools fast.
  if (!((first >= 48 && first <= 57) || first === 45 || first === 78 || first === 73))
    return undefined;
  const value = Number(text);
  if (Number.isNaN(value) && text.trim() !== 'NaN') return undefined;
  return value;
}

const TOKEN = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
/** A marker no real string holds: NUL, written as a JSON escape in the text. */
const MARK = '\u0000rc:';
const MARK_IN_JSON = '\\u0000rc:';

/** JSON.parse that also accepts bare NaN / Infinity / -Infinity tokens (outside strings). */
export function parseExtendedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  const marked = text.replace(TOKEN, (token) =>
    token.startsWith('"') ? token : `"${MARK_IN_JSON}${token}"`,
  );
  return JSON.parse(marked, (_key, value) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  );
}
