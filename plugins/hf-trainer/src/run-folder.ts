import type { SourceIdentity } from '@runcast/core';

function splitPath(path: string): string[] {
  return path.split(/[\\/]+/);
}

/**
 * The run a trainer_state.json feeds: its folder, or the parent folder for a
 * `checkpoint-<step>/` copy (each checkpoint holds the history up to its step).
 */
export function identifyTrainerRun(path: string): SourceIdentity {
  const parts = splitPath(path);
  parts.pop();
  if (parts.length > 1 && /^checkpoint-\d+$/.test(parts[parts.length - 1]!)) parts.pop();
  const name = parts[parts.length - 1] || 'trainer';
  const sep = path.includes('/') || !path.includes('\\') ? '/' : '\\';
  return { key: parts.join(sep) || sep, name };
}
