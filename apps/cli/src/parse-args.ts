import { InvalidArgumentError } from 'commander';

export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  return n;
}

export function parseNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${text}"`);
  return n;
}

/** "0.2,0.4,0.6" -> [0.2, 0.4, 0.6]. */
export function parseNumberList(text: string): number[] {
  return text.split(',').map((part) => parseNumber(part.trim()));
}

/** "10" or "0.5" (minutes, > 0) -> milliseconds. */
export function parseMinutes(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number of minutes, got "${text}"`);
  return Math.round(n * 60_000);
}
