import { readFileSync } from 'node:fs';
import { ScheduleSpec } from '@runcast/core';
import { UsageError } from './exit-codes';

/** `--schedule SPEC`: JSON inline, or @file holding the JSON (ARCHITECTURE.md schedule spec). */
export function parseScheduleArg(text: string, flag = '--schedule'): ScheduleSpec {
  let raw = text;
  if (text.startsWith('@')) {
    try {
      raw = readFileSync(text.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${text.slice(1)}: ${(e as Error).message}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`${flag}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ScheduleSpec.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${flag}: ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
