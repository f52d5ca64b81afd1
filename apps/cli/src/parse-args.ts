import { GroupName, ProjectName, RunName } from '@runcast/core';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './exit-codes';

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

/**
 * --run, --project and --group checked as the API checks them (length limits, no control or
 * bidi-formatting characters): a usage error naming the flag, without echoing the value.
 */
export function checkNameFlags(flags: { run?: string; project?: string; group?: string }): void {
  const checks = [
    ['--run', RunName, flags.run],
    ['--project', ProjectName, flags.project],
    ['--group', GroupName, flags.group],
  ] as const;
  for (const [flag, schema, value] of checks) {
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new UsageError(`${flag}: ${parsed.error.issues[0]?.message ?? 'invalid name'}`);
    }
  }
}
